"""Turning text into search terms, the same way for documents and queries and for both backends.

Generic tokenizers split `jsonb_path_ops`, `hnsw.ef_search` and `pg_stat_statements` into common words
and drop `<=>` or `@>` entirely, which loses exactly the terms a PostgreSQL question hinges on. Here:

- identifiers stay whole (`hnsw.ef_search` becomes the term `hnsw_ef_search`); their parts go to a
  separate, lightly weighted stream so a query for "stat statements" still finds pg_stat_statements;
- operators become word terms (`<=>` -> `op_lt_eq_gt`), so both SQLite FTS5 (unicode61 with `_` as a
  token character) and a PostgreSQL tsvector built from a literal keep them;
- known phrases become one term (`on conflict` -> `on_conflict`) so synonyms can map single terms;
- plain words are lowercased, lightly stemmed and stripped of stop words.

Every term is lowercase word characters and `_` only (any script: team docs are not all English),
never a quote, space or backslash, which is what lets both backends store them verbatim.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

__all__ = ["MAX_TERM_CHARS", "Terms", "expand_synonyms", "operator_term", "stem", "terms"]

_TOKEN = re.compile(
    r"(?P<ident>[^\W\d][\w$]*(?:\.[^\W\d][\w$]*)*)"
    r"|(?P<num>\d+)"
    r"|(?P<op>[<>=~!@#%^&|?*+\-/:]+)"
)

MAX_TERM_CHARS = 100

_OP_NAMES = {
    "<": "lt", ">": "gt", "=": "eq", "~": "tilde", "!": "bang", "@": "at", "#": "hash", "%": "pct",
    "^": "caret", "&": "amp", "|": "bar", "?": "q", "*": "star", "+": "plus", "-": "minus", "/": "slash",
    ":": "colon",
}
# Runs made only of these characters are Markdown or comment syntax, not operators (except `||`).
_NOT_OPERATORS = set("-*#=|:/")

_STOP = frozenset(
    [
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do", "does",
        "for", "from", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "of", "on", "or",
        "our", "should", "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
        "those", "to", "too", "use", "used", "using", "via", "was", "we", "were", "what", "when", "where",
        "which", "while", "who", "why", "will", "with", "would", "you", "your",
    ]
)

# Word sequences that mean one thing in PostgreSQL; matched on lowercased words before stemming.
_PHRASES: dict[tuple[str, ...], str] = {
    tuple(p.split()): "_".join(p.split())
    for p in (
        "on conflict", "primary key", "foreign key", "row level security", "full text", "text search",
        "nearest neighbor", "nearest neighbors", "similarity search", "connection pool", "connection pooling",
        "dead tuples", "skip locked", "for update", "common table expression", "zero downtime",
        "multi tenant", "inner product", "index only", "not valid", "order by", "group by", "not null",
        "partition by", "cosine distance", "cosine similarity", "transaction id", "read only",
    )
}
_MAX_PHRASE = max(len(p) for p in _PHRASES)
_PHRASE_STARTS = frozenset(p[0] for p in _PHRASES)
_ID_SEPARATORS = re.compile(r"[._$]+")

# Groups of terms users and documents use for the same thing (after tokenizing, so stemmed).
_SYNONYM_GROUPS = (
    "embedding vector pgvector",
    "upsert on_conflict",
    "knn nearest_neighbor nearest_neighbors similarity_search",
    "fts full_text text_search tsvector",
    "rls row_level_security",
    "pk primary_key",
    "fk foreign_key",
    "cte common_table_expression",
    "pooler pgbouncer connection_pool connection_pooling supavisor",
    "bloat dead_tuples",
    "json jsonb",
    "queue skip_locked",
    "cosine cosine_distance cosine_similarity op_lt_eq_gt",
    "euclidean op_lt_minus_gt",
    "inner_product op_lt_hash_gt",
    "containment contain op_at_gt",
    "tenant multi_tenant",
    "wraparound xid transaction_id",
)


_STEMS: dict[str, str] = {}  # memo of stem(); bounded below


def stem(word: str) -> str:
    """A small suffix stripper: enough to make plurals and -ing/-ed forms meet, predictable everywhere."""
    done = _STEMS.get(word)
    if done is not None:
        return done
    result = _stem(word)
    if len(_STEMS) < 200_000:
        _STEMS[word] = result
    return result


def _stem(word: str) -> str:
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "xes", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            if word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


@functools.lru_cache(maxsize=4_096)
def operator_term(op: str) -> str | None:
    if not 2 <= len(op) <= 3 or (set(op) <= _NOT_OPERATORS and op != "||"):
        return None
    return "op_" + "_".join(_OP_NAMES[ch] for ch in op)


@dataclass
class Terms:
    main: list[str] = field(default_factory=list)  # whole identifiers, operators, phrases, stemmed words
    parts: list[str] = field(default_factory=list)  # pieces of compound identifiers


def terms(text: str) -> Terms:
    """Search terms of `text` (a document field or a query)."""
    out = Terms()
    main, parts = out.main, out.parts
    words: list[str] = []  # the current run of plain words, for phrase detection

    def flush() -> None:
        for i, word in enumerate(words):
            if word in _PHRASE_STARTS:
                for size in range(min(_MAX_PHRASE, len(words) - i), 1, -1):
                    phrase = _PHRASES.get(tuple(words[i : i + size]))
                    if phrase:
                        main.append(phrase)
                        break
            if word not in _STOP:
                main.append(_STEMS.get(word) or stem(word))
        words.clear()

    # findall() hands back plain tuples: much cheaper than a Match object per token on large corpora.
    for ident, num, op in _TOKEN.findall(text):
        if ident:
            if len(ident) > MAX_TERM_CHARS:  # base64 blobs, hashes: no one searches for them (and tsvector caps)
                continue
            low = ident.lower()
            if "_" in low or "." in low or "$" in low:
                bare = low.strip("_")
                if "_" in bare or "." in low or "$" in low:
                    if words:
                        flush()
                    main.append(bare.replace(".", "_").replace("$", "_").strip("_"))
                    parts.extend(stem(p) for p in _ID_SEPARATORS.split(low) if p and p not in _STOP)
                elif bare:
                    words.append(bare)
            else:
                words.append(low)
        elif num:
            if words:
                flush()
            main.append(num)
        else:
            term = operator_term(op)
            # A hyphen or other punctuation inside a phrase ("row-level security") does not break it.
            if term:
                if words:
                    flush()
                main.append(term)
    if words:
        flush()
    return out


def _build_synonyms() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for group in _SYNONYM_GROUPS:
        members = [stem(word) if "_" not in word else word for word in group.split()]
        for member in members:
            table[member] = tuple(m for m in members if m != member)
    return table


_SYNONYMS = _build_synonyms()


def expand_synonyms(main: list[str]) -> list[str]:
    """The query's own terms first, then synonyms not already present."""
    seen = dict.fromkeys(main)
    for term in main:
        for synonym in _SYNONYMS.get(term, ()):
            seen.setdefault(synonym)
    return list(seen)
