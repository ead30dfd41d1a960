"""Downloader and spider middlewares: the manager and the built-ins."""
