"""Topic queries against a word-level reference: does a search return the articles about it?

    python bench/topics.py CORPUS ... [--write]

The reference is what a word-level engine (Elasticsearch with a Vietnamese tokenizer) would
return, computed here from the articles' text and nothing of our engine's: underthesea's
words of the query as written (``query_words``), each held by the article (title or body) as
adjacent syllables with these diacritics, in any case (``reference_ids``). Each topic of
``bench/topics.toml`` is searched as written and without diacritics, and both are compared
with the reference set of the query as written: the result count over the reference count,
and the share of the reference set found. ``--write`` refreshes the words and counts kept in
``bench/topics.toml`` for the corpus given (the reference corpus: vntc_train, dantri_unc and
the seeds).
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__" and not __package__:
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse
import re
import statistics
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bench.corpus import BenchArticle, load_articles, setup_logging
from bench.tables import fmt, table
from indexer.metadata.docnumbers import find_document_numbers, find_query_document_numbers
from indexer.text.segment import segment_words
from indexer.text.vietnamese import normalize_text, strip_diacritics

TOPICS = Path(__file__).resolve().parent / "topics.toml"
TYPINGS = ("accented", "folded")
_HEADER = """\
# Common topics, as journalists and clerks type them, for the word-level result counts of
# bench/queries.py ("Topic queries"). Each is searched as written and without diacritics.
#
# `words`: underthesea's words of the query (bench/topics.py `query_words`), each of which an
# article must hold as adjacent syllables, with these diacritics (any case): the word-level
# reference set, what a word-level engine (Elasticsearch with a Vietnamese tokenizer) would
# return. `count`: the size of that set on the reference corpus (vntc_train + dantri_unc +
# the seeds, 36,364 articles), written by `python bench/topics.py CORPUS ... --write`.
"""


@dataclass(frozen=True)
class Topic:
    """A topic query, its words and its word-level reference count."""

    query: str
    words: tuple[str, ...]
    count: int


def load_topics(path: Path = TOPICS) -> list[Topic]:
    """The topics of ``bench/topics.toml``."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Topic(t["query"], tuple(t.get("words", ())), int(t.get("count", 0))) for t in data["topic"]
    ]


def query_words(query: str) -> tuple[str, ...]:
    """underthesea's words of a query, lowercased, syllables joined by '_'."""
    return tuple(segment_words(normalize_text(query)))


def _pattern(word: str) -> re.Pattern[str]:
    """A word as adjacent syllables (spaces or hyphens between), whole, in lowercase text."""
    syllables = [re.escape(s) for s in word.split("_")]
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(syllables) + r"(?!\w)")


def reference_ids(words: Sequence[str], articles: Sequence[BenchArticle]) -> set[str]:
    """The articles holding every word as adjacent syllables, with its diacritics."""
    patterns = [(word.split("_")[0], _pattern(word)) for word in words]
    found = set()
    for article in articles:
        text = (article.title + "\n" + article.body).lower()
        if all(head in text and pattern.search(text) for head, pattern in patterns):
            found.add(article.id)
    return found


def typed(query: str, typing: str) -> str:
    """The query as written, or without diacritics."""
    return query if typing == "accented" else strip_diacritics(query)


@dataclass
class TopicRow:
    """One topic, one typing: the reference set and what the engine returned."""

    topic: Topic
    typing: str
    reference: set[str]
    found: set[str]

    @property
    def ratio(self) -> float:
        """Result count over the reference count."""
        return len(self.found) / max(1, len(self.reference))

    @property
    def recall(self) -> float:
        """The share of the reference set returned."""
        if not self.reference:
            return 1.0
        return len(self.reference & self.found) / len(self.reference)


def measure_topics(
    topics: Sequence[Topic],
    articles: Sequence[BenchArticle],
    result_ids: Callable[[str], set[str]],
) -> list[TopicRow]:
    """Each topic in each typing: the engine's counted result set against the reference."""
    rows = []
    for topic in topics:
        reference = reference_ids(topic.words or query_words(topic.query), articles)
        for typing in TYPINGS:
            rows.append(TopicRow(topic, typing, reference, result_ids(typed(topic.query, typing))))
    return rows


def topics_section(rows: Sequence[TopicRow]) -> str:
    """The summary per typing, then every topic."""
    summary = []
    for typing in TYPINGS:
        chosen = [r for r in rows if r.typing == typing and r.reference]
        if not chosen:
            continue
        found = sum(len(r.reference & r.found) for r in chosen)
        wanted = sum(len(r.reference) for r in chosen)
        summary.append(
            [
                typing,
                len(chosen),
                f"{statistics.median(r.ratio for r in chosen):.2f}×",
                f"{max(r.ratio for r in chosen):.2f}×",
                f"{found / max(1, wanted):.1%}",
                f"{min(r.recall for r in chosen):.1%}",
            ]
        )
    header = ["typed", "topics", "median count / reference", "worst", "reference found", "lowest"]
    detail = [
        [
            f"`{r.topic.query}`",
            " + ".join(r.topic.words),
            f"{len(r.reference):,}",
            *(
                cell
                for typing in TYPINGS
                for row in rows
                if row.topic == r.topic and row.typing == typing
                for cell in (f"{len(row.found):,}", fmt(row.ratio, 2), f"{row.recall:.0%}")
            ),
        ]
        for r in rows
        if r.typing == TYPINGS[0]
    ]
    detail_header = ["topic", "words", "reference", "ours", "ratio", "found"]
    detail_header += ["ours (no diacritics)", "ratio", "found"]
    return table(header, summary) + "\n\nPer topic:\n\n" + table(detail_header, detail)


def citing_ids(number: str, articles: Sequence[BenchArticle]) -> set[str]:
    """The articles whose text cites a document number (``find_document_numbers``), the way
    the query reads it: typed without a year, any year."""
    wanted = {found.query_term() for found in find_query_document_numbers(number)}
    return {
        article.id
        for article in articles
        if any(
            wanted & set(found.index_terms())
            for found in find_document_numbers(article.title + "\n" + article.body)
        )
    }


def numbers_section(
    numbers: Sequence[str],
    articles: Sequence[BenchArticle],
    result_ids: Callable[[str], set[str]],
) -> str:
    """Document-number queries: the articles citing each, found and not, and extra ones."""
    wanted = found = extra = 0
    for number in numbers:
        reference, ours = citing_ids(number, articles), result_ids(number)
        wanted += len(reference)
        found += len(reference & ours)
        extra += len(ours - reference)
    header = ["numbers", "articles citing them", "found", "share found", "others returned"]
    row = [len(numbers), f"{wanted:,}", f"{found:,}", f"{found / max(1, wanted):.1%}", extra]
    return table(header, [row])


def write_topics(articles: Sequence[BenchArticle], path: Path = TOPICS) -> list[Topic]:
    """Refresh the words and reference counts of every topic in ``path``."""
    fresh = []
    for topic in load_topics(path):
        words = query_words(topic.query)
        fresh.append(Topic(topic.query, words, len(reference_ids(words, articles))))
    entries = [
        f'[[topic]]\nquery = "{t.query}"\nwords = [{", ".join(f"{w!r}" for w in t.words)}]\n'
        f"count = {t.count}\n"
        for t in fresh
    ]
    path.write_text(_HEADER + "\n" + "\n".join(entries).replace("'", '"'), encoding="utf-8")
    return fresh


def main(argv: list[str] | None = None) -> int:
    """Print (and with --write, store) each topic's words and reference count."""
    parser = argparse.ArgumentParser(prog="bench/topics.py", description=__doc__)
    parser.add_argument("corpus", nargs="+", type=Path, metavar="CORPUS")
    parser.add_argument("--write", action="store_true", help="refresh bench/topics.toml")
    args = parser.parse_args(argv)
    setup_logging(True)
    articles = load_articles([p.resolve() for p in args.corpus])
    if args.write:
        topics = write_topics(articles)
    else:
        topics = [
            Topic(t.query, w := query_words(t.query), len(reference_ids(w, articles)))
            for t in load_topics()
        ]
    for topic in topics:
        print(f"{topic.count:>6,}  {topic.query}  ({' + '.join(topic.words)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
