"""Questions typed or pasted (2 to 40 words) on the reference index: ours against FTS5's
ranked OR, interleaved query by query (issue 13).

    python bench/questions.py CORPUS [CORPUS ...] [--clusters DIR] [--per-kind N]

The questions are news_clusters' own (``../shared/corpus/news_clusters/queries.jsonl``):
its labels as they are (2-15 words), and its summaries cut to their first 20, 30 and 40
words. Both engines answer them on the corpus given (indexed and cached as
bench/queries.py does): ours through ``ArchiveSearch.search`` (top 10 with snippets, facets
and the count), FTS5 with every distinct word OR-ed, top 10 ids by bm25 and nothing else
(the ranked OR of the issue's target). After a warm-up pass over other labels and
summaries, each question goes to both engines once, the order alternating. Writes the
"Questions" section of docs/benchmarks.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__" and not __package__:
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse
import logging
import random
import time

from bench import clusters as clusters_mod
from bench.cli import add_common_arguments
from bench.corpus import ROOT, cache_folder, ensure_fts, ensure_index, load_articles, setup_logging
from bench.engines import FtsEngine, OursEngine
from bench.mix import Query
from bench.tables import fmt, percentiles, run_header, table, write_section

log = logging.getLogger("bench")
SECTION = "Questions"
LENGTHS = (20, 30, 40)  # words a summary is cut to


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="bench/questions.py", description=__doc__.split("\n\n")[0]
    )
    add_common_arguments(parser)
    parser.add_argument(
        "--clusters",
        type=Path,
        default=ROOT.parent / "shared" / "corpus" / "news_clusters",
        help="the news_clusters folder whose queries are asked (default ../shared/corpus/...)",
    )
    parser.add_argument(
        "--per-kind", type=int, default=150, help="questions of each kind (default 150)"
    )
    return parser


def draw_questions(
    texts: list[tuple[str, str]], per_kind: int, seed: int
) -> tuple[dict[str, list[str]], list[str]]:
    """Labels as they are, and summaries cut to LENGTHS words: ``per_kind`` of each; and the
    warm-up questions, drawn from the labels and summaries none of those comes from."""
    rng = random.Random(seed)
    labels = [text for kind, text in texts if kind == "label"]
    summaries = [text.split() for kind, text in texts if kind == "summary"]
    rng.shuffle(labels)
    rng.shuffle(summaries)
    kinds = {"label": labels[:per_kind]}
    used = set()
    for length in LENGTHS:
        long_enough = [i for i, words in enumerate(summaries) if len(words) >= length]
        chosen = rng.sample(long_enough, min(per_kind, len(long_enough)))
        used.update(chosen)
        kinds[f"{length} words"] = [" ".join(summaries[i][:length]) for i in chosen]
    rest = [" ".join(words[: LENGTHS[0]]) for i, words in enumerate(summaries) if i not in used]
    return kinds, labels[per_kind:] + rest[:per_kind]


def interleaved(
    ours: OursEngine, fts: FtsEngine, questions: list[str]
) -> tuple[list[float], list[float]]:
    """Seconds per question of each engine, the one asked first alternating."""
    times: tuple[list[float], list[float]] = ([], [])
    engines = (ours, fts)
    for i, text in enumerate(questions):
        query = Query("word", text)
        for side in (0, 1) if i % 2 == 0 else (1, 0):
            started = time.perf_counter()
            engines[side].run(query)
            times[side].append(time.perf_counter() - started)
    return times


def section(results: dict[str, tuple[list[float], list[float]]]) -> str:
    """p50/p95 of both engines per kind of question, and the ratios."""
    rows = []
    for kind, (ours, fts) in results.items():
        a, b = percentiles(ours), percentiles(fts)
        rows.append(
            [
                kind, str(len(ours)), fmt(a["p50"]), fmt(a["p95"]), fmt(b["p50"]), fmt(b["p95"]),
                f"{a['p50'] / b['p50']:.2f}×", f"{a['p95'] / b['p95']:.2f}×",
            ]
        )  # fmt: skip
    header = ["questions", "n", "ours p50", "ours p95", "FTS5 OR p50", "FTS5 OR p95",
              "p50 ratio", "p95 ratio"]  # fmt: skip
    return table(header, rows)


NOTES = """Notes:
- Ours answers a full page (10 grouped hits with snippets, the count, the facets); FTS5 OR
  only ranks (`ORDER BY rank LIMIT 10` over every distinct word OR-ed, no snippets, count or
  facets). A question over LONG_QUERY (12) syllables is pasted text for our engine: matched
  and ranked by its telling words (see the notes of "Search latency and quality").
"""


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns the exit status."""
    args = build_parser().parse_args(argv)
    setup_logging(not args.quiet)
    paths = [p.resolve() for p in args.corpus]
    articles = load_articles(paths)
    if not articles:
        log.error("no articles in %s", ", ".join(map(str, paths)))
        return 1
    folder = cache_folder(paths, args.cache)
    index_dir = ensure_index(paths, folder, args.jobs, args.rebuild)
    db = ensure_fts(articles, folder)
    count = len(articles)
    del articles
    collection = clusters_mod.load_collection(args.clusters)
    texts = [(kind, text) for _, kind, text in collection.queries]
    kinds, warm_up = draw_questions(texts, args.per_kind, args.seed)
    ours, fts = OursEngine.open(index_dir), FtsEngine(db, operator=" OR ", rank_only=True)
    for text in warm_up:  # the searcher, the segmenter, SQLite's pages; none measured
        ours.run(Query("word", text))
        fts.run(Query("word", text))
    results = {}
    for kind, questions in kinds.items():
        log.info("%s: %d questions ...", kind, len(questions))
        results[kind] = interleaved(ours, fts, questions)
    corpus = ", ".join(f"`{p.name}`" for p in paths)
    body = "\n\n".join(
        [
            run_header()
            + f"- Corpus: {corpus}: {count:,} articles\n"
            + f"- Questions: news_clusters' labels and summaries cut to {LENGTHS} words, "
            + f"{args.per_kind} of each kind (seed {args.seed})\n",
            section(results),
            NOTES,
        ]
    )
    print(f"## {SECTION}\n\n{body}")
    if not args.no_write:
        write_section(args.out, SECTION, body)
        log.info("wrote section %r of %s", SECTION, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
