"""Optional semantic search: an OpenAI-compatible embeddings client, cosine top-k and rank fusion."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import httpx

from pgsage.tools.errors import FeatureUnavailable

__all__ = ["Embedder", "rrf", "top_k"]

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


def top_k(query: Sequence[float], rows: Sequence[Sequence[float]], ids: Sequence[int], k: int) -> list[
    tuple[int, float]
]:
    """The k rows most cosine-similar to `query` (rows of another dimension are ignored)."""
    dim = len(query)
    pairs = [(i, row) for i, row in zip(ids, rows, strict=True) if len(row) == dim]
    if not pairs or k <= 0:
        return []
    try:
        import numpy as np
    except ImportError:  # numpy is optional: plain Python is fine for small team corpora
        q = _normalised(query)
        scored = []
        for chunk_id, row in pairs:
            r = _normalised(row)
            scored.append((chunk_id, sum(a * b for a, b in zip(q, r, strict=True))))
        scored.sort(key=lambda item: -item[1])
        return scored[:k]
    matrix = np.asarray([row for _, row in pairs], dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-12
    q_arr = np.asarray(query, dtype=np.float32)
    q_arr /= np.linalg.norm(q_arr) + 1e-12
    sims = matrix @ q_arr
    order = np.argsort(-sims)[:k]
    return [(pairs[int(i)][0], float(sims[int(i)])) for i in order]


def rrf(*rankings: Sequence[Any], k: int = RRF_K) -> dict[Any, float]:
    """Reciprocal rank fusion of several best-first lists of keys."""
    fused: dict[Any, float] = {}
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            fused[key] = fused.get(key, 0.0) + 1.0 / (k + rank)
    return fused
