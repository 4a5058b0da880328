"""Helpers shared by the test modules: apps and services, mail, newsroom data, imports."""
