"""BM25F over precomputed posting lists: the embedded store's ranking.

Measured on 5,160 chunks (bench/bench_knowledge.py): FTS5's own `bm25()` costs a few microseconds per
*matching* row, and an OR query of common words matches most rows, so p95 was ~24 ms. Here each term's
postings (dense document numbers and field-weighted term frequencies) are one packed blob, fetched by
primary key; scoring is a vectorised sum over the few query terms: p95 well under 5 ms.

The formula is FTS5's (BM25 with column weights applied to term frequencies, k1=1.2, b=0.75; a test
checks the scores match FTS5's bm25() on the same columns), only faster. Postings are rebuilt from the
FTS5 tables' token text after every write (the shipped sync or an ingest).
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["K1", "B", "DocTable", "build_postings", "top_scores"]

K1 = 1.2
B = 0.75

try:  # numpy makes scoring ~10x faster; plain Python stays correct without it
    import numpy as _np
except ImportError:  # pragma: no cover - numpy is in every supported environment we test
    _np = None


@dataclass
class DocTable:
    """Per-generation document facts: row ids by dense number, BM25 length factors, source of each."""

    rowids: Sequence[int]
    norms: Any  # k1 * (1 - b + b * len / avglen) per document
    sources: Any  # source index per document
    source_codes: dict[str, int]

    @property
    def n(self) -> int:
        return len(self.rowids)


def build_postings(
    docs: Iterable[tuple[int, str, Sequence[str]]], weights: Sequence[float]
) -> tuple[array[int], array[float], list[str], dict[str, tuple[bytes, bytes]]]:
    """From (rowid, source_id, field term strings) -> rowids, lengths, sources and term -> (docs, tfs)."""
    rowids: array[int] = array("q")
    lengths: array[float] = array("f")
    sources: list[str] = []
    postings: dict[str, tuple[array[int], array[float]]] = {}
    for number, (rowid, source, fields) in enumerate(docs):
        rowids.append(rowid)
        sources.append(source)
        total = 0
        weighted: Counter[str] = Counter()
        for weight, text in zip(weights, fields, strict=True):
            tokens = text.split()
            total += len(tokens)
            for term, count in Counter(tokens).items():
                weighted[term] += weight * count
        lengths.append(float(total))
        for term, tf in weighted.items():
            entry = postings.get(term)
            if entry is None:
                entry = postings[term] = (array("i"), array("f"))
            entry[0].append(number)
            entry[1].append(tf)
    packed = {term: (ids.tobytes(), tfs.tobytes()) for term, (ids, tfs) in postings.items()}
    return rowids, lengths, sources, packed


def doc_table(rowids_blob: bytes, lengths_blob: bytes, sources: list[str]) -> DocTable:
    rowids: array[int] = array("q")
    rowids.frombytes(rowids_blob)
    lengths: array[float] = array("f")
    lengths.frombytes(lengths_blob)
    codes: dict[str, int] = {}
    source_numbers = [codes.setdefault(s, len(codes)) for s in sources]
    avg = (sum(lengths) / len(lengths)) if lengths else 1.0
    avg = avg or 1.0
    if _np is not None:
        norms = K1 * (1 - B + B * _np.frombuffer(lengths_blob, dtype=_np.float32).astype(_np.float64) / avg)
        return DocTable(list(rowids), norms, _np.asarray(source_numbers, dtype=_np.int32), codes)
    norms_list = [K1 * (1 - B + B * length / avg) for length in lengths]
    return DocTable(list(rowids), norms_list, source_numbers, codes)


def _idf(n: int, df: int) -> float:
    # FTS5 floors the idf at 1e-6 so a term in more than half the documents still counts a little.
    return max(math.log((n - df + 0.5) / (df + 0.5)), 1e-6)


def top_scores(
    groups: Sequence[tuple[DocTable, Iterable[tuple[float, bytes, bytes]]]],
    limit: int,
    source: str | None = None,
) -> list[tuple[int, float]]:
    """(rowid, score) best first. Each group is a BM25F part over the same documents (same numbering):
    its table and postings given as (query weight, docs blob, tfs blob); a document's score is the sum."""
    if not groups or groups[0][0].n == 0 or limit <= 0:
        return []
    table = groups[0][0]
    n = table.n
    want = table.source_codes.get(source, -1) if source else None
    if want == -1:
        return []
    if _np is not None:
        scores = _np.zeros(n, dtype=_np.float64)
        for part, postings in groups:
            for qweight, ids_blob, tfs_blob in postings:
                ids = _np.frombuffer(ids_blob, dtype=_np.int32)
                tfs = _np.frombuffer(tfs_blob, dtype=_np.float32).astype(_np.float64)
                idf = qweight * _idf(n, len(ids))
                scores[ids] += idf * tfs * (K1 + 1) / (tfs + part.norms[ids])
        if want is not None:
            scores[table.sources != want] = 0.0
        hits = _np.flatnonzero(scores)
        if len(hits) > limit:
            hits = hits[_np.argpartition(-scores[hits], limit - 1)[:limit]]
        order = hits[_np.argsort(-scores[hits], kind="stable")]
        return [(table.rowids[int(i)], float(scores[int(i)])) for i in order]
    acc: dict[int, float] = {}
    for part, postings in groups:
        for qweight, ids_blob, tfs_blob in postings:
            ids: array[int] = array("i")
            ids.frombytes(ids_blob)
            tfs: array[float] = array("f")
            tfs.frombytes(tfs_blob)
            idf = qweight * _idf(n, len(ids))
            for i, tf in zip(ids, tfs, strict=True):
                if want is None or table.sources[i] == want:
                    acc[i] = acc.get(i, 0.0) + idf * tf * (K1 + 1) / (tf + part.norms[i])
    best = sorted(acc.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [(table.rowids[i], score) for i, score in best]
