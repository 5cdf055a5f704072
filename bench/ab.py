"""Two checkouts' engines on one index, query by query: is a change faster, slower, the same?

    python bench/ab.py OLD_TREE CORPUS ... [--new TREE] [--rounds N] [--seed N] [--queries N]

OLD_TREE is another checkout (``git worktree add /tmp/old <commit>``); the new side is this
checkout unless ``--new``. Each side runs in a process of its own (``bench/ab_worker.py``)
on this checkout's cached index of the corpus, which both must be able to read (an index
written before the stage layout is read by both sides of that change; one written after
it only by the new side). After a warm-up pass, every query of the mix
(bench/mix.py) goes to both sides, the order alternating query by query and round by round,
so that both see the same machine. Prints, and writes to the "A/B of two checkouts" section:
p50/p95/mean per side, the ratios, the median of the per-query ratios, and how many pages
(ids, total, the counts of the facets both have, snippets) are identical.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__" and not __package__:
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse
import json
import statistics
import subprocess

from bench.cli import add_common_arguments
from bench.corpus import ROOT, cache_folder, ensure_index, load_articles, setup_logging
from bench.mix import build_mix
from bench.tables import fmt, percentiles, run_header, table, write_section

SECTION = "A/B of two checkouts"
WORKER = Path(__file__).resolve().parent / "ab_worker.py"


class Side:
    """One checkout's engine in its own process."""

    def __init__(self, tree: Path, index_dir: Path) -> None:
        self.tree = tree
        self.commit = subprocess.run(
            ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
        ).stdout.strip() or str(tree)
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), str(tree), str(index_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=tree,
        )
        line = self.process.stdout.readline()
        if not line:  # an older checkout may not read an index a newer one wrote
            raise SystemExit(f"{tree}: the engine did not start (its error is above)")
        ready = json.loads(line)
        if not ready["ready"].startswith(str(tree)):
            raise SystemExit(f"{tree}: the worker imported {ready['ready']}")
        self.seconds: list[float] = []

    def ask(self, query: dict) -> dict:
        """One query's answer."""
        self.process.stdin.write(json.dumps(query) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        """End the process."""
        self.process.stdin.close()
        self.process.wait()
        self.process.stdout.close()


def compare(old: Side, new: Side, queries: list[dict], rounds: int) -> list[str]:
    """Time every query on both sides, alternating; the queries whose pages differ."""
    for query in queries:  # warm-up
        old.ask(query)
        new.ask(query)
    differing = []
    for round_number in range(rounds):
        for i, query in enumerate(queries):
            first, second = (old, new) if (i + round_number) % 2 else (new, old)
            answers = {first: first.ask(query), second: second.ask(query)}
            for side, answer in answers.items():
                side.seconds.append(answer["ms"] / 1000)
            if round_number == 0 and not same_page(answers[old], answers[new]):
                differing.append(query["q"])
    return differing


def same_page(a: dict, b: dict) -> bool:
    """Whether two sides' pages agree: ids, total, snippets, and the counts of the facets
    both sides have (a facet one side adds is no difference in what the other answers)."""
    shared = a["facets"].keys() & b["facets"].keys()
    return all(a[key] == b[key] for key in ("ids", "total", "snippets")) and all(
        a["facets"][name] == b["facets"][name] for name in shared
    )


def report(old: Side, new: Side, queries: int, differing: list[str]) -> str:
    """The section's body after its header."""
    stats = {side: percentiles(side.seconds) for side in (old, new)}
    rows = [
        [f"`{side.commit}` ({name})", *(fmt(stats[side][k], 2) for k in ("p50", "p95", "mean"))]
        for name, side in (("old", old), ("new", new))
    ]
    rows.append(
        [
            "ratio new / old",
            *(f"{stats[new][k] / stats[old][k]:.3f}×" for k in ("p50", "p95", "mean")),
        ]
    )
    per_query = statistics.median(b / a for a, b in zip(old.seconds, new.seconds, strict=True))
    same = queries - len(differing)
    lines = [
        table(["engine (ms per query)", "p50", "p95", "mean"], rows),
        "",
        f"- Median of the per-query ratios new / old: {per_query:.3f}×.",
        f"- Identical pages (ids, total, shared facet counts, snippets): {same} of {queries}.",
    ]
    if differing:
        lines.append("- Differing: " + "; ".join(f"`{q[:60]}`" for q in differing[:10]))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run both sides and write the section."""
    parser = argparse.ArgumentParser(prog="bench/ab.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path, help="the other checkout (the 'old' side)")
    add_common_arguments(parser)
    parser.add_argument("--new", type=Path, default=ROOT, help="the new side (default: here)")
    parser.add_argument("--rounds", type=int, default=2, help="timed passes (default 2)")
    args = parser.parse_args(argv)
    setup_logging(not args.quiet)
    paths = [p.resolve() for p in args.corpus]
    articles = load_articles(paths)
    index_dir = ensure_index(paths, cache_folder(paths, args.cache), args.jobs, args.rebuild)
    mix = build_mix(articles, args.queries, args.seed)
    del articles
    queries = [
        {"q": q.q, "province": list(q.province), "year": list(q.year), "topic": list(q.topic)}
        for q in mix.queries
    ]
    old, new = Side(args.old.resolve(), index_dir), Side(args.new.resolve(), index_dir)
    try:
        differing = compare(old, new, queries, args.rounds)
    finally:
        old.close()
        new.close()
    body = (
        run_header()
        + f"- Queries: the mix of bench/queries.py ({len(queries)}, seed {args.seed}), "
        f"{args.rounds} timed rounds after a warm-up, both sides alternating first\n\n"
        + report(old, new, len(queries), differing)
    )
    print(f"## {SECTION}\n\n{body}")
    if not args.no_write:
        write_section(args.out, SECTION, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
