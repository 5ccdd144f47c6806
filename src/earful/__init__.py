"""Earful: a self-hosted listening post for a company and its customers."""
