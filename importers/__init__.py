"""Bringing a site over: `flask import wordpress|disqus|isso|broadsheet`, and `flask export`."""
