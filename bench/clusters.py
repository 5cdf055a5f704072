"""The news_clusters test collection: queries, TREC qrels, nDCG@10 and MAP@10 for each engine.

Its ``docs.jsonl.gz`` is an archive export like any other; ``queries.jsonl`` holds one query a
line (``qid``, ``kind``: ``label`` (a short cluster name) or ``summary`` (a long summary of the
cluster), ``text``), and ``qrels.tsv`` is TREC: ``qid 0 docid relevance``. Relevant means the
same news event. Every engine gets the query text as it is.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.engines import Outcome, measure
from bench.mix import Query

CUTOFF = 10


@dataclass(frozen=True)
class Collection:
    """A test collection: its documents file, queries and judgements."""

    docs: Path
    queries: list[tuple[str, str, str]]  # (qid, kind, text)
    qrels: dict[str, dict[str, int]]  # qid -> doc id -> relevance (> 0 is relevant)


def load_collection(folder: Path) -> Collection:
    """Read a news_clusters-style folder."""
    queries = []
    with (folder / "queries.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                queries.append((record["qid"], record.get("kind", ""), record["text"]))
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    with (folder / "qrels.tsv").open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) == 4:
                qrels[parts[0]][parts[2]] = int(parts[3])
    return Collection(folder / "docs.jsonl.gz", queries, dict(qrels))


def ndcg(ranked: list[str], rels: dict[str, int], k: int = CUTOFF) -> float:
    """nDCG@k with the qrels' relevance as gain."""
    dcg = sum(rels.get(doc, 0) / math.log2(i + 2) for i, doc in enumerate(ranked[:k]))
    ideal = sorted((r for r in rels.values() if r > 0), reverse=True)[:k]
    best = sum(r / math.log2(i + 2) for i, r in enumerate(ideal))
    return dcg / best if best else 0.0


def average_precision(ranked: list[str], rels: dict[str, int], k: int = CUTOFF) -> float:
    """AP@k: precision at each relevant hit in the top k, over all relevant documents."""
    relevant = {doc for doc, r in rels.items() if r > 0}
    if not relevant:
        return 0.0
    found, total = 0, 0.0
    for i, doc in enumerate(ranked[:k]):
        if doc in relevant:
            found += 1
            total += found / (i + 1)
    return total / len(relevant)


@dataclass
class ClusterScores:
    """One engine's scores on one kind of query."""

    engine: str
    kind: str
    queries: int
    ndcg: float
    map: float
    empty: int  # queries with no result at all
    seconds: list[float]


def evaluate(
    collection: Collection, engines: dict[str, Callable[[Query], tuple[list[str], int]]]
) -> list[ClusterScores]:
    """Run every query through every engine; scores per engine and kind (and 'all')."""
    queries = [Query(kind, text) for _qid, kind, text in collection.queries]
    scores = []
    for name, run in engines.items():
        outcomes = measure(run, queries, f"news_clusters {name}")
        kinds = [*sorted({q.kind for q in queries}), "all"]
        for kind in kinds:
            chosen = [
                (qid, outcome)
                for (qid, qkind, _t), outcome in zip(collection.queries, outcomes, strict=True)
                if kind in ("all", qkind)
            ]
            scores.append(_score(name, kind, chosen, collection.qrels))
    return scores


def _score(
    engine: str, kind: str, chosen: list[tuple[str, Outcome]], qrels: dict[str, dict[str, int]]
) -> ClusterScores:
    n = len(chosen) or 1
    return ClusterScores(
        engine=engine,
        kind=kind,
        queries=len(chosen),
        ndcg=sum(ndcg(o.ids, qrels.get(qid, {})) for qid, o in chosen) / n,
        map=sum(average_precision(o.ids, qrels.get(qid, {})) for qid, o in chosen) / n,
        empty=sum(1 for _qid, o in chosen if not o.ids),
        seconds=[o.seconds for _qid, o in chosen],
    )
