"""The blog's staff pages in the console: posts, the author's profile, moderation."""
