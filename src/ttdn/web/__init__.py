"""The web application: REST API and pages."""
