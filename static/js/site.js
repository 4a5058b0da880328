// Broadsheet's own script: small behaviours htmx does not cover. Loaded with defer.
