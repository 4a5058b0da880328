"""The `flask ...` commands."""
