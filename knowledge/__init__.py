"""pgsage.knowledge."""
