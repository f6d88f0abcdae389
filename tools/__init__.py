"""pgsage.tools."""
