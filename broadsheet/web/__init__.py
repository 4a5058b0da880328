"""Request plumbing every blueprint shares: caching, security headers, logging, templates."""
