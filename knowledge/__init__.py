"""pgsage.knowledge: the curated corpus and the engine that searches it.

    page.py          the page format (TOML front matter, sections, fenced code blocks)
    corpus.py        loading pages + sources.toml, chunking by section, code examples, the corpus hash
    text.py          search terms: whole identifiers and operators, phrases, stemming, synonyms
    records.py       what a store receives per page, and query terms with their weights
    postings.py      BM25F over packed posting lists (the embedded store's ranking)
    store_sqlite.py  embedded store: one SQLite file (FTS5 tables + postings) under the data dir
    store_pg.py      team store: schema pgsage_knowledge in PostgreSQL (tsvector, optional pgvector)
    vectors.py       optional embeddings endpoint client, cosine top-k, reciprocal rank fusion
    convert.py       HTML / reStructuredText / text to Markdown
    ingest.py        collecting a team's docs from a folder, a file or a URL (page, sitemap, llms.txt)
    engine.py        KnowledgeBase: the rag_* operations over either store
    models.py        the tools' pydantic results
"""
