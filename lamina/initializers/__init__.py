"""Placeholder package; filled by its family."""
