"""Larger archives made of the shared corpus: paragraphs of different articles recombined.

Each new article takes the paragraphs of several real articles of one topic, as many as a real
article has, in a shuffled order, under the title of one of them with a place named after
it: realistic lengths and vocabulary, and no two articles alike (a body made twice is drawn
again). Dates are spread over 2008-2025, and the articles over the 63 provinces (each
published by its department's site, ``stttt.<province>.gov.vn``) and the source's topics.

The words of every paragraph are segmented once (``known_words``), in worker processes, and
handed to the indexer's segmenter as its word cache (``KnownWords``): an archive ten
times the corpus is indexed without ten times the segmentation, into the index the indexer
would build without them.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import multiprocessing
import pickle
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path

from bench.corpus import BenchArticle
from indexer.metadata.gazetteer import all_provinces
from indexer.text.segment import paragraph_words, paragraphs_of
from indexer.text.vietnamese import slugify

FIRST_DAY, LAST_DAY = date(2008, 1, 1), date(2025, 12, 31)
MAX_DRAWS = 20  # draws of one article before giving up on a new body


def _paragraphs(article: BenchArticle) -> list[str]:
    return paragraphs_of(article.body)  # as the segmenter splits it: its words' keys


def recombined(articles: Sequence[BenchArticle], count: int, seed: int) -> list[dict]:
    """``count`` new archive records (JSON Lines fields) made of the articles' paragraphs."""
    rng = random.Random(seed)
    by_topic: dict[str, list[BenchArticle]] = defaultdict(list)
    for article in articles:
        if _paragraphs(article):
            by_topic[article.topics[0] if article.topics else ""].append(article)
    topics = sorted(by_topic)
    weights = [len(by_topic[t]) for t in topics]
    provinces = [p.name for p in all_provinces()]
    seen: set[bytes] = set()
    records = []
    span = (LAST_DAY - FIRST_DAY).days
    while len(records) < count:
        pool = by_topic[rng.choices(topics, weights)[0]]
        model = rng.choice(pool)
        for _ in range(MAX_DRAWS):
            size = len(_paragraphs(rng.choice(pool)))
            body = [rng.choice(_paragraphs(rng.choice(pool))) for _ in range(size)]
            key = hashlib.blake2b("\n".join(body).encode(), digest_size=8).digest()
            if key not in seen:
                break
        else:
            continue
        seen.add(key)
        province = rng.choice(provinces)
        number = len(records)
        records.append(
            {
                "id": f"scale-{number}",
                "url": f"https://stttt.{slugify(province).replace('-', '')}.gov.vn/tin/{number}",
                "title": f"{model.title} ({province})",
                "published": (FIRST_DAY + timedelta(days=rng.randrange(span + 1))).isoformat(),
                "source": f"Sở Thông tin và Truyền thông tỉnh {province}",
                "topics": list(model.topics),
                "province": province,
                "body": "\n".join(body),
            }
        )
    return records


def write_archive(records: Sequence[dict], path: Path) -> Path:
    """Write records as a JSON Lines export (gzip)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as export:
        for record in records:
            export.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def _segment(paragraphs: list[str]) -> list[str]:
    return [" ".join(paragraph_words(p)) for p in paragraphs]


class KnownWords:
    """``segment_words``'s word cache (``indexer.text.segment.WordCache``) over the words of
    paragraphs segmented beforehand (``known_words``: words joined by spaces); it keeps
    nothing new."""

    def __init__(self, known: Mapping[str, str]) -> None:
        self._known = known

    def get_many(self, paragraphs: list[str]) -> dict[str, list[str]]:
        known = self._known
        return {p: known[p].split(" ") for p in paragraphs if p in known}

    def put(self, paragraph: str, words: list[str]) -> None:
        pass


def known_words(articles: Sequence[BenchArticle], path: Path, jobs: int) -> dict[str, str]:
    """The words of every paragraph of the articles, joined by spaces, segmented once
    (cached in ``path``)."""
    if path.exists():
        with path.open("rb") as cached:
            return pickle.load(cached)
    paragraphs = sorted({p for a in articles for p in _paragraphs(a)})
    chunks = [paragraphs[i : i + 2000] for i in range(0, len(paragraphs), 2000)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        words = [w for chunk in pool.imap(_segment, chunks) for w in chunk]
    known = dict(zip(paragraphs, words, strict=True))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as cache:
        pickle.dump(known, cache, protocol=pickle.HIGHEST_PROTOCOL)
    return known
