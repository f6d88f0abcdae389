"""pgsage.server."""
