"""The Whoosh schema and Article -> index document.

Articles match on folded syllables (``text``: title and body; ``title`` again for its
weight); ``exact`` holds the syllables written with diacritics, so an accented query ranks
exact spellings first; ``words`` holds underthesea's words for ranking. These fields keep
term frequencies only: phrases and proximity are checked on ``forward``, a per-document
column of the folded syllables' codes, and near-duplicates on ``shingles`` (a MinHash
signature). Facets are plain terms (``province``, ``year``, ``month``, ``topic``,
``cited``); ``manifest`` and ``date_key`` are columns read in bulk by the incremental build
and the newest-first sort.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from whoosh import columns, index
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.system import pack_uint

from indexer.metadata.docnumbers import find_document_numbers
from indexer.metadata.gazetteer import resolve_province
from indexer.records import Article
from indexer.text.analysis import exact_syllable_analyzer, folded_syllable_analyzer, word_analyzer
from indexer.text.similarity import signature
from indexer.text.terms import document_terms
from indexer.text.vietnamese import fold, slugify

# Bump when extraction or analysis changes what an input becomes: every input is re-indexed.
INDEX_FORMAT = "4"
# Whoosh pickles the schema (our analyzers and field types) and the segments (our codec) into
# an index's table of contents by module name. Indexes written before the code was grouped by
# stage (up to commit ad81b5e) name these modules, which now live elsewhere.
FORMER_MODULES = {
    "indexer.analysis": "indexer.text.analysis",
    "indexer.schema": "indexer.build.schema",
    "indexer.parallel": "indexer.build.parallel",
}


def _resolve_former_modules() -> None:
    for former, current in FORMER_MODULES.items():
        if former not in sys.modules:
            sys.modules[former] = importlib.import_module(current)


def index_exists(index_dir: Path | str) -> bool:
    """Whether a folder holds an index (Whoosh opens it to tell: see ``open_index``)."""
    _resolve_former_modules()
    return index.exists_in(str(index_dir))


def open_index(index_dir: Path | str) -> index.Index:
    """Open an index folder, whether this version wrote it or one before the stage layout
    (its pickles' former module names resolve to the modules holding those classes now)."""
    _resolve_former_modules()
    return index.open_dir(str(index_dir))


class TermCountsField(TEXT):
    """A TEXT field of term frequencies that also takes precomputed counts.

    Given a string it analyzes it like any TEXT field; given a mapping of term -> count (from
    ``terms.document_terms``) it indexes those counts directly, which is what the build does.
    """

    def __init__(self, analyzer, stored: bool = False) -> None:
        super().__init__(analyzer=analyzer, phrase=False, stored=stored)

    def index(self, value, **kwargs) -> Iterator[tuple[bytes, int, float, bytes]]:
        """(term bytes, frequency, weight, encoded frequency) for each term of the value."""
        if not isinstance(value, Mapping):
            yield from super().index(value, **kwargs)
            return
        boost = self.format.field_boost
        for term, count in value.items():
            yield term.encode("utf-8"), count, count * boost, pack_uint(count)


def build_schema() -> Schema:
    """The schema of the article index."""
    return Schema(
        id=ID(stored=True, unique=True),
        source=ID,  # the input file an article came from, for incremental builds
        manifest=COLUMN(columns.VarBytesColumn()),
        title=TermCountsField(folded_syllable_analyzer(), stored=True),
        text=TermCountsField(folded_syllable_analyzer()),
        exact=TermCountsField(exact_syllable_analyzer()),
        words=TermCountsField(word_analyzer()),
        docnums=KEYWORD(lowercase=True, scorable=True),
        province=ID,
        year=ID,
        topic=KEYWORD(commas=True),
        month=ID,
        cited=KEYWORD(commas=True),  # the documents an article cites, by folded number
        date_key=COLUMN(columns.NumericColumn("i", default=0)),
        forward=COLUMN(columns.VarBytesColumn()),
        shingles=COLUMN(columns.VarBytesColumn()),  # near-duplicate signature
        body=STORED,
        meta=STORED,  # everything shown on a result or article page but not searched
    )


@dataclass(frozen=True)
class Manifest:
    """What the incremental build needs to know of an indexed article."""

    id: str
    source: str
    stamp: str  # size and mtime of the source file, to skip it without reading it
    digest: str  # hash of the raw record and INDEX_FORMAT
    # Web archives: every file holding a capture of the article's URLs -> its stamp (see
    # indexer.build.warcplan); empty for other inputs.
    sources: dict[str, str] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        """Encode for the ``manifest`` column."""
        values: list = [self.id, self.source, self.stamp, self.digest]
        if self.sources:
            values.append(self.sources)
        return json.dumps(values).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> Manifest:
        """Decode a ``manifest`` column value."""
        values = json.loads(data)
        return cls(*values[:4], sources=values[4] if len(values) > 4 else {})


def date_key(published: str | None) -> int:
    """'2021-01-26' -> 20210126, '2021' -> 20210000, None -> 0: sorts newest first."""
    if not published:
        return 0
    digits = published.replace("-", "")
    return int(digits.ljust(8, "0")[:8])


def topic_slugs(topics: list[str]) -> list[str]:
    """Facet values of topic labels: 'Chuyển đổi số' -> 'chuyen-doi-so'."""
    return [slug for slug in dict.fromkeys(slugify(t) for t in topics) if slug]


def province_slug(name: str | None) -> str | None:
    """Facet value of a province name: 'Bắc Kạn' -> 'bac-kan'."""
    if not name:
        return None
    province = resolve_province(name)
    return province.slug if province else slugify(name) or None


def to_document(article: Article, words: list[str], manifest: Manifest) -> dict:
    """The Whoosh document for an article whose words underthesea has segmented."""
    cited = find_document_numbers(article.title + "\n" + article.body)
    doc_terms = [term for number in cited for term in number.index_terms()]
    terms = document_terms(article.title, article.body)
    keys = list(dict.fromkeys(number.key for number in cited))
    meta = {
        "url": article.url,
        "published": article.published,
        "province": article.province,
        "topics": article.topics,
        "author": article.author,
        "source": article.source,
        "kicker": article.kicker,
        "cited": keys,
        "captured": article.captured,
        "urls": article.urls,
    }
    document = {
        "id": article.id,
        "source": manifest.source,
        "manifest": manifest.to_bytes(),
        "title": terms.title,
        "_stored_title": article.title,
        "text": terms.text,
        "exact": terms.exact,
        "words": Counter(words),
        "docnums": " ".join(dict.fromkeys(doc_terms)),
        "topic": ",".join(topic_slugs(article.topics)),
        "date_key": date_key(article.published),
        "forward": terms.forward,
        "shingles": signature(np.frombuffer(terms.forward, dtype=np.uint32)),
        "cited": ",".join(dict.fromkeys(fold(key) for key in keys)),
        "body": article.body,
        "meta": meta,
    }
    if slug := province_slug(article.province):
        document["province"] = slug
    if article.year:
        document["year"] = article.year
    if article.published and len(article.published) >= 7:
        document["month"] = article.published[:7]
    return {name: value for name, value in document.items() if value not in ("", None)}
