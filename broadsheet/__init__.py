"""Broadsheet's domain and the plumbing its blueprints share.

Stories, comments, mail, privacy, search and the rest of what the site knows live here as
plain functions over the models; `web/` holds what every request shares (caching, security
headers, template globals), `cli/` every `flask` command and `demo/` the demo content. Nothing
here imports `blueprints` or `app` (tests/test_layout.py checks).
"""
