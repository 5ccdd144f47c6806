"""Template tags of the blog."""
