"""Every state change of the blog, for views, API, CLI and tasks alike."""
