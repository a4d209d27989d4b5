"""Where articles come from: feeds, sitemaps and pages on the web, files on disk, source lists."""
