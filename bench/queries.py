"""Search latency and quality, ours against SQLite FTS5 over the same articles (issue 3).

    python bench/queries.py CORPUS [CORPUS ...] [--seed N] [--queries N] [--out FILE]

Indexes the corpus (cached in bench/.cache/), draws a query mix with a fixed seed, runs it
in-process through ``ArchiveSearch.search`` (what the views call: 3 facets with counts and the
top 10 highlighted hits) and through FTS5 doing the same work, after a warm-up pass. Prints
p50/p95/p99 of both, known-item MRR@10 per typing variant, and nDCG@10 / MAP@10 on the
news_clusters test collection, and writes them to the ``## Search latency and quality``
section of docs/benchmarks.md. Progress goes to stderr, numbers to stdout.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__" and not __package__:
    # Run as a script: import from the repository root (and never shadow the stdlib).
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse
import logging
from collections import Counter

from bench import clusters as clusters_mod
from bench.cli import add_common_arguments
from bench.corpus import (
    cache_folder,
    ensure_fts,
    ensure_index,
    load_articles,
    setup_logging,
)
from bench.engines import FtsEngine, OursEngine, Outcome, measure
from bench.mix import KINDS, VARIANTS, Mix, Query, build_mix
from bench.tables import (
    fmt,
    percentiles,
    ratio,
    run_header,
    table,
    write_section,
)
from bench.topics import load_topics, measure_topics, numbers_section, topics_section

log = logging.getLogger("bench")
SECTION = "Search latency and quality"
DEFAULT_CLUSTERS = Path(__file__).resolve().parent.parent.parent / "shared/corpus/news_clusters"


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="bench/queries.py",
        description=__doc__.split("\n\n")[0] + " Numbers to stdout, progress to stderr.",
    )
    add_common_arguments(parser)
    parser.add_argument(
        "--topics", type=Path, default=None, help="topics file (default bench/topics.toml)"
    )
    parser.add_argument(
        "--clusters",
        default=str(DEFAULT_CLUSTERS),
        metavar="DIR",
        help="news_clusters folder (docs.jsonl.gz, queries.jsonl, qrels.tsv); "
        "'none' to skip (default ../shared/corpus/news_clusters)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=None,
        help="queries in the warm-up pass (default: the whole mix)",
    )
    parser.add_argument(
        "--no-fts-or",
        action="store_true",
        help="skip the FTS5 OR reference run on news_clusters (the slowest part)",
    )
    return parser


def reciprocal_rank(query: Query, outcome: Outcome) -> float:
    """1/rank of the article the query was drawn from in the top 10, else 0."""
    ids = outcome.ids[:10]
    return 1.0 / (ids.index(query.target) + 1) if query.target in ids else 0.0


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def latency_section(mix: Mix, ours: list[Outcome], fts: list[Outcome]) -> str:
    """Overall and per-kind percentiles of both engines."""
    a = percentiles([o.seconds for o in ours])
    b = percentiles([o.seconds for o in fts])
    keys = ("p50", "p95", "p99", "mean", "max")
    rows = [["ours (Whoosh)"] + [fmt(a[k]) for k in keys], ["FTS5"] + [fmt(b[k]) for k in keys]]
    rows.append(["ratio ours / FTS5"] + [ratio(a[k], b[k]) for k in keys])
    text = table(["engine (ms per query)", *keys], rows)
    by_kind = []
    for kind in KINDS:
        chosen = [i for i, q in enumerate(mix.queries) if q.kind == kind]
        if not chosen:
            continue
        pa = percentiles([ours[i].seconds for i in chosen])
        pb = percentiles([fts[i].seconds for i in chosen])
        by_kind.append(
            [
                kind,
                len(chosen),
                fmt(pa["p50"]),
                fmt(pa["p95"]),
                fmt(pb["p50"]),
                fmt(pb["p95"]),
                ratio(pa["p50"], pb["p50"]),
            ]
        )
    header = ["kind", "n", "ours p50", "ours p95", "FTS5 p50", "FTS5 p95", "p50 ratio"]
    return text + "\n\nBy kind of query (ms):\n\n" + table(header, by_kind)


def mrr_section(mix: Mix, ours: list[Outcome], fts: list[Outcome]) -> str:
    """MRR@10 per kind and typing variant, over all known items and the unique ones."""
    rows = []
    for kind in ("title", "span", "all"):
        for variant in VARIANTS:
            chosen = [
                i
                for i, q in enumerate(mix.queries)
                if q.variant == variant and (kind == "all" or q.kind == kind)
            ]
            if not chosen:
                continue
            unique = [i for i in chosen if mix.queries[i].unique]
            changed = sum(1 for i in chosen if mix.queries[i].changed)
            rr_a = [reciprocal_rank(mix.queries[i], ours[i]) for i in chosen]
            rr_b = [reciprocal_rank(mix.queries[i], fts[i]) for i in chosen]
            ua = [reciprocal_rank(mix.queries[i], ours[i]) for i in unique]
            ub = [reciprocal_rank(mix.queries[i], fts[i]) for i in unique]
            rows.append(
                [
                    kind,
                    variant,
                    f"{len(chosen)} ({changed})",
                    fmt(_mean(rr_a), 3),
                    fmt(_mean(rr_b), 3),
                    len(unique),
                    fmt(_mean(ua), 3),
                    fmt(_mean(ub), 3),
                ]
            )
    header = [
        "queries",
        "variant",
        "n (changed)",
        "ours",
        "FTS5",
        "n unique",
        "ours unique",
        "FTS5 unique",
    ]
    return table(header, rows)


def counts_section(mix: Mix, ours: list[Outcome], fts: list[Outcome]) -> str:
    """Result counts side by side: where ours finds fewer than FTS5's syllable AND."""
    rows = []
    for kind in KINDS:
        chosen = [i for i, q in enumerate(mix.queries) if q.kind == kind]
        if not chosen:
            continue
        rows.append(
            [
                kind,
                len(chosen),
                fmt(_mean([ours[i].total for i in chosen]), 0),
                fmt(_mean([fts[i].total for i in chosen]), 0),
                sum(1 for i in chosen if ours[i].total < fts[i].total),
                sum(1 for i in chosen if ours[i].total == 0),
                sum(1 for i in chosen if fts[i].total == 0),
            ]
        )
    header = ["kind", "n", "mean total ours", "mean total FTS5", "ours < FTS5", "ours 0", "FTS5 0"]
    return table(header, rows)


def clusters_section(scores: list[clusters_mod.ClusterScores], articles: int) -> str:
    """nDCG@10 / MAP@10 per engine and kind of query."""
    rows = [
        [
            s.engine,
            s.kind,
            s.queries,
            fmt(s.ndcg, 3),
            fmt(s.map, 3),
            s.empty,
            fmt(percentiles(s.seconds)["p50"]),
        ]
        for s in scores
    ]
    header = ["engine", "queries", "n", "nDCG@10", "MAP@10", "no result", "p50 ms"]
    return f"{articles:,} articles.\n\n" + table(header, rows)


def errors_section(mix: Mix, ours: list[Outcome], fts: list[Outcome]) -> str:
    """Queries that raised, per engine."""
    lines = []
    for name, outcomes in (("ours", ours), ("FTS5", fts)):
        failed = [(q, o) for q, o in zip(mix.queries, outcomes, strict=True) if o.error]
        lines.append(f"- {name}: {len(failed)} of {len(outcomes)} queries failed")
        lines += [f"  - `{q.q[:80]}`: {o.error[:160]}" for q, o in failed[:5]]
    return "\n".join(lines)


def misses(mix: Mix, outcomes: list[Outcome], limit: int = 12) -> list[str]:
    """Known-item queries whose article is not first, for the engine's developers."""
    found = []
    for query, outcome in zip(mix.queries, outcomes, strict=True):
        if query.target and outcome.ids[:1] != [query.target]:
            rank = outcome.ids.index(query.target) + 1 if query.target in outcome.ids else None
            found.append(
                f"{query.kind}/{query.variant} unique={query.unique} rank={rank} "
                f"total={outcome.total}: {query.q!r} -> {query.target}"
            )
    return found[:limit]


def _warn_if_empty(mix: Mix, ours: list[Outcome]) -> None:
    """Say so when our engine found nothing for most known items: a stale or foreign index?"""
    known = [o for q, o in zip(mix.queries, ours, strict=True) if q.target]
    empty = sum(1 for o in known if o.total == 0)
    if known and empty > len(known) / 2:
        log.warning(
            "ours found nothing for %d of %d known-item queries: is the cached index from "
            "another version of the engine? Try --rebuild.",
            empty,
            len(known),
        )


def run_clusters(
    folder: Path, cache: Path, jobs: int | None, rebuild: bool, fts_or: bool = True
) -> tuple[list, int]:
    """nDCG@10 / MAP@10 of ours, FTS5 (AND, as the mix) and FTS5 OR on news_clusters."""
    collection = clusters_mod.load_collection(folder)
    articles = load_articles([collection.docs])
    where = cache_folder([collection.docs], cache)
    index_dir = ensure_index([collection.docs], where, jobs, rebuild)
    db = ensure_fts(articles, where)
    ours = OursEngine.open(index_dir)
    engines = {
        "ours": ours.run,
        "FTS5 (AND)": FtsEngine(db, rank_only=True).run,
    }
    if fts_or:
        engines["FTS5 OR"] = FtsEngine(db, operator=" OR ", rank_only=True).run
    ours.run(Query("word", "khởi động"))  # open the searcher before timing
    return clusters_mod.evaluate(collection, engines), len(articles)


def _mix_summary(mix: Mix, articles: int, paths: list[Path]) -> str:
    kinds = Counter(q.kind for q in mix.queries)
    parts = ", ".join(f"{kinds[k]} {k}" for k in KINDS if kinds[k])
    corpus = ", ".join(f"`{p.name}`" for p in paths)
    text = (
        f"- Corpus: {corpus}: {articles:,} articles\n"
        f"- Query mix: {len(mix.queries)} queries (seed {mix.seed}): {parts}\n"
    )
    return text + "".join(f"- Note: {note}\n" for note in mix.notes)


NOTES = """Notes:
- Wall time per query (`time.perf_counter`) of one in-process call, after a warm-up pass over
  the mix. Ours: `ArchiveSearch.search(SearchRequest(...))`, the function the views call (top
  10 highlighted hits + province, year and topic counts). FTS5 (`unicode61 remove_diacritics
  2`, external content table): `count(*)`, top 10 `ORDER BY rank` (bm25) with `highlight()` and
  `snippet()`, and 3 `GROUP BY` facet counts over the whole match set, each filtered by the
  other facets. Each word of a query is quoted for MATCH (Datasette's rule): all must match.
- Known items: titles (given by the source, 4-25 syllables) and 6-9-word body spans, each
  typed 4 ways: as written (`accented`), without diacritics (`folded`), with the old tone
  placement (`old_tone`: hoà, khoẻ, thuỷ) and decomposed (`nfd`). "changed" counts the
  queries the variant actually alters (few titles or spans hold an old-placement syllable).
  MRR@10 = mean of 1/rank of the source article in the first 10 hits (0 when absent);
  "unique": no other article contains the text (diacritic-folded syllables, in order).
- FTS5's unicode61 tokenizer does not fold `đ` to `d`: a folded query with `d` for `đ` does
  not match in FTS5. That is the baseline's behaviour and is reported as is.
- news_clusters: every engine gets the query text as it is (labels are 2-15 words, summaries
  31-701 words, mostly sentences copied from the cluster's articles). FTS5 (AND) requires
  every word. Ours lists the articles holding every word of the query (a word of several
  syllables as adjacent syllables) first, then the near matches: the articles holding most
  of the query, weighted by inverse document frequency. A long query (over 12 syllables) is
  pasted text: its near matches hold 10% of the weight of its 128 rarest syllables, and it is
  ranked on its 32 rarest syllables (by how often it repeats each), its other syllables found
  in at most 10% of the articles at half weight, and the share of its syllable pairs each of
  the best 100 holds side by side; it reads up to 2,000 characters / 256 syllables.
  "FTS5 OR" (any word, each distinct word once, bm25) is a reference for what a ranked OR
  would do. MAP@10 is AP over the first 10 results, divided by the number of relevant
  documents.
- Topic queries: the reference set (bench/topics.py) is computed from the articles' text,
  nothing of our engine's: underthesea's words of the query as written, each held as adjacent
  syllables with its diacritics. Ours: the articles its count counts (`matched_ids`). Typed
  without diacritics, a syllable matches every spelling (`cap` is also `cấp`), so the count
  grows where a bare syllable is ambiguous; the reference stays that of the query as
  written.
- Ours groups near-duplicates under the best hit ("N bài tương tự", listed under it on the
  page); the ranked list scored here is each hit followed by its group. Counting the group
  heads only scores a cluster of reposts as one article: on news_clusters that gave nDCG@10
  0.828 (labels 0.722, summaries 0.849) on 2026-11-23, against 0.903 with the groups.
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
    log.info("drawing the query mix ...")
    mix = build_mix(articles, args.queries, args.seed)
    summary = _mix_summary(mix, len(articles), paths)
    ours, fts = OursEngine.open(index_dir), FtsEngine(db)
    log.info("topic queries against their word-level reference ...")
    topics = load_topics(args.topics) if args.topics else load_topics()
    topic_rows = measure_topics(topics, articles, ours.counted_ids)
    numbers = [q.q for q in mix.queries if q.kind == "docnum"]
    numbers_table = numbers_section(numbers, articles, ours.counted_ids)
    del articles
    warm = mix.queries[: args.warmup] if args.warmup is not None else mix.queries
    measure(ours.run, warm, "warm-up ours")
    measure(fts.run, warm, "warm-up fts5")
    ours_out = measure(ours.run, mix.queries, "ours")
    fts_out = measure(fts.run, mix.queries, "fts5")
    _warn_if_empty(mix, ours_out)
    parts = [
        run_header() + summary,
        "### Latency (in-process)\n\n" + latency_section(mix, ours_out, fts_out),
        "### Known-item MRR@10 per typing variant\n\n" + mrr_section(mix, ours_out, fts_out),
        "### Topic queries (result counts against a word-level reference)\n\n"
        + topics_section(topic_rows)
        + "\n\nDocument numbers of the mix, against the articles whose text cites them:\n\n"
        + numbers_table,
        "### Result counts (recall against FTS5's word AND)\n\n"
        + counts_section(mix, ours_out, fts_out),
        "### Errors\n\n" + errors_section(mix, ours_out, fts_out),
    ]
    if args.clusters != "none" and Path(args.clusters).is_dir():
        scores, count = run_clusters(
            Path(args.clusters), args.cache, args.jobs, args.rebuild, not args.no_fts_or
        )
        parts.insert(3, "### news_clusters (nDCG@10, MAP@10)\n\n" + clusters_section(scores, count))
    elif args.clusters != "none":
        log.warning("no news_clusters folder at %s: skipped", args.clusters)
    body = "\n\n".join(parts) + "\n\n" + NOTES
    print(f"## {SECTION}\n\n{body}")
    print("\nKnown items ours did not rank first:", *misses(mix, ours_out), sep="\n  ")
    if not args.no_write:
        write_section(args.out, SECTION, body)
        log.info("wrote section %r of %s", SECTION, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
