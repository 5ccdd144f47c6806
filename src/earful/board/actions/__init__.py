"""Every state change of the ideas board, for views, API, CLI and tasks alike."""
