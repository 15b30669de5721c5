"""Structured data from Vietnamese administrative documents."""

__version__ = "0.1.0"
