"""Optional semantic search: an OpenAI-compatible embeddings client, cosine top-k and rank fusion."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import httpx

from pgsage.tools.errors import FeatureUnavailable

__all__ = ["Embedder", "VectorIndex", "rrf", "top_k"]

BATCH = 64
RRF_K = 60  # the usual constant: rank 1 is worth 1/61, rank 10 1/70


class Embedder:
    """POST {url} with {"model", "input": [...]} -> {"data": [{"embedding": [...], "index": i}]}.

    `url` is either the full embeddings endpoint or an API base (".../v1"), as users configure both.
    """

    def __init__(self, url: str, model: str, key: str | None = None, timeout: float = 30.0) -> None:
        self.url = url if url.rstrip("/").endswith("/embeddings") else url.rstrip("/") + "/embeddings"
        self.model = model
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self._client = httpx.AsyncClient(timeout=timeout, headers=headers)

    @property
    def identity(self) -> str:
        return f"{self.url}|{self.model}"

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for start in range(0, len(texts), BATCH):
            batch = [t[:8000] or " " for t in texts[start : start + BATCH]]
            try:
                response = await self._client.post(self.url, json={"model": self.model, "input": batch})
                response.raise_for_status()
                data: list[dict[str, Any]] = response.json()["data"]
            except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
                raise FeatureUnavailable(
                    f"The embeddings endpoint {self.url} failed ({type(exc).__name__}: {exc}). Check "
                    "PGSAGE_EMBEDDINGS_URL/MODEL/KEY, or unset PGSAGE_EMBEDDINGS_URL to search lexically."
                ) from None
            data.sort(key=lambda item: int(item.get("index", 0)))
            if len(data) != len(batch):
                raise FeatureUnavailable(f"The embeddings endpoint {self.url} returned {len(data)} vectors "
                                         f"for {len(batch)} texts.")
            out.extend([float(x) for x in item["embedding"]] for item in data)
        return out

    async def aclose(self) -> None:
        await self._client.aclose()


def _normalised(vector: Sequence[float]) -> list[float]:
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    return [x / norm for x in vector]


class VectorIndex:
    """Normalised vectors grouped by dimension, built once per index generation and reused by queries."""

    def __init__(self, ids: Sequence[int], rows: Sequence[Sequence[float]]) -> None:
        grouped: dict[int, tuple[list[int], list[Sequence[float]]]] = {}
        for chunk_id, row in zip(ids, rows, strict=True):
            entry = grouped.setdefault(len(row), ([], []))
            entry[0].append(chunk_id)
            entry[1].append(row)
        self._groups: dict[int, tuple[list[int], Any]] = {}
        try:
            import numpy as np
        except ImportError:  # numpy is optional: plain Python is fine for small team corpora
            self._np = None
            for dim, (group_ids, group_rows) in grouped.items():
                self._groups[dim] = (group_ids, [_normalised(r) for r in group_rows])
            return
        self._np = np
        for dim, (group_ids, group_rows) in grouped.items():
            matrix = np.asarray(group_rows, dtype=np.float32)
            matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-12
            self._groups[dim] = (group_ids, matrix)

    def top_k(self, query: Sequence[float], k: int) -> list[tuple[int, float]]:
        """The k vectors most cosine-similar to `query` (vectors of another dimension are ignored)."""
        group = self._groups.get(len(query))
        if group is None or k <= 0:
            return []
        ids, matrix = group
        if self._np is None:
            q = _normalised(query)
            scored = [(i, sum(a * b for a, b in zip(q, r, strict=True))) for i, r in zip(ids, matrix, strict=True)]
            scored.sort(key=lambda item: -item[1])
            return scored[:k]
        np = self._np
        q_arr = np.asarray(query, dtype=np.float32)
        q_arr /= np.linalg.norm(q_arr) + 1e-12
        sims = matrix @ q_arr
        order = np.argsort(-sims)[:k]
        return [(ids[int(i)], float(sims[int(i)])) for i in order]


def top_k(query: Sequence[float], rows: Sequence[Sequence[float]], ids: Sequence[int], k: int) -> list[
    tuple[int, float]
]:
    """One-off cosine top-k; stores keep a VectorIndex instead."""
    return VectorIndex(ids, rows).top_k(query, k)


def rrf(*rankings: Sequence[Any], k: int = RRF_K) -> dict[Any, float]:
    """Reciprocal rank fusion of several best-first lists of keys."""
    fused: dict[Any, float] = {}
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            fused[key] = fused.get(key, 0.0) + 1.0 / (k + rank)
    return fused
