"""Views of this feature."""
