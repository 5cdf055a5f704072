"""``python -m indexer --dry-run``: what a build would index, without writing the index.

For archivists checking a new crawl: each new or changed record is extracted (not segmented,
not written) and described as one line; inputs whose stamp the index already holds are
counted as unchanged, as a build would skip them.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from indexer.build.builder import extract_task, read_manifests
from indexer.build.plan import plan_build, vanished_ids
from indexer.build.schema import index_exists, open_index
from indexer.build.stats import BuildStats, source_name
from indexer.inputs.loading import load_records
from indexer.inputs.sources import discover
from indexer.records import Article, Failure

COLUMNS = ("id", "published", "province", "topics", "title")
_CHUNK = 16


@dataclass
class Preview:
    """What a build would do; filled in as the articles are read."""

    unchanged: int = 0
    deleted: int = 0
    indexed: int = 0
    failures: list[Failure] = field(default_factory=list)
    stats: BuildStats = field(default_factory=BuildStats)

    def summary(self) -> str:
        """One line, like a build's."""
        return (
            f"dry run: would index {self.indexed}, unchanged {self.unchanged}, "
            f"delete {self.deleted}, failed {len(self.failures)}"
        )


def describe(article: Article) -> str:
    """One tab-separated line: id, date, province, topics, title (no tabs or newlines)."""
    values = (
        article.id,
        article.published or "",
        article.province or "",
        "; ".join(article.topics),
        article.title,
    )
    return "\t".join(" ".join(value.split()) for value in values)


def preview(
    paths: list[Path], index_dir: Path, rebuild: bool = False, jobs: int = 1
) -> tuple[Preview, Iterator[Article | Failure]]:
    """Plan a build against the index (if there is one) and extract what it would index.

    Returns the preview and the articles and failures in input order; the preview's counts
    are complete once they have all been read. The index is only read, never locked.
    """
    sources, failures = discover(paths)
    known = {}
    if not rebuild and index_exists(index_dir):
        known = read_manifests(open_index(index_dir))
    roots = [p.resolve() if p.exists() else p.absolute() for p in paths]
    plan = plan_build(sources, known, roots)
    result = Preview(unchanged=plan.unchanged, failures=failures + plan.failures)
    result.deleted = len(vanished_ids(plan, known, roots))

    def read(found: Iterator[Article | Failure]) -> Iterator[Article | Failure]:
        for task, item in zip(plan.tasks, found, strict=True):
            if isinstance(item, Failure):
                result.failures.append(item)
            else:
                result.indexed += 1
                result.stats.add_article(source_name(task.source, roots), item.province, item.year)
            yield item

    def articles() -> Iterator[Article | Failure]:
        yield from list(result.failures)
        if jobs > 1 and len(plan.tasks) > _CHUNK:
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                tasks = load_records(plan.tasks)
                yield from read(pool.imap(extract_task, tasks, chunksize=_CHUNK))
        else:
            yield from read(map(extract_task, load_records(plan.tasks)))
        for failure in result.failures:
            result.stats.add_failure(failure, roots)

    return result, articles()
