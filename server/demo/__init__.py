"""`pgsage demo`: a sample RAG + chat schema with realistic flaws, driven through the real server."""
