"""Server-rendered pages, one module per part of the interface; each exposes ``router``."""
