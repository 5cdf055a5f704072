"""An archive in two versions, for the crash and concurrency checks (bench/crash.py, tests).

Version 0 ("before") holds the first ``count`` articles, three in four as records of JSON
Lines exports (``exports/NNN.jsonl``) and one in four as text pages (``pages/NNNN.txt``).
Version 1 ("after") adds the rest, edits two records and a page, and drops a record and a
page, so a build from one to the other adds, replaces and deletes articles. The articles
come from real news (JSON Lines exports such as ../shared/corpus/vntc_train.jsonl.gz) or,
without one, are synthetic Vietnamese text made from a seed.
"""

from __future__ import annotations

import gzip
import itertools
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

PER_EXPORT = 64  # article numbers per JSON Lines file (three in four are records)

# Common words of the provincial ICT news (NFC, one tone placement), for synthetic articles.
_WORD_LIST = (
    "chuyển đổi số|chính quyền điện tử|Sở Thông tin và Truyền thông|Ủy ban nhân dân tỉnh|"
    "hội nghị|triển khai|kế hoạch|năm|công tác|an toàn thông tin|mạng|viễn thông|bưu chính|"
    "dịch vụ công trực tuyến|người dân|doanh nghiệp|cơ quan nhà nước|hạ tầng|dữ liệu|"
    "phần mềm|cổng thông tin|báo chí|xuất bản|phát thanh|truyền hình|tuyên truyền|đào tạo|"
    "cán bộ|công chức|nâng cao|hiệu quả|quản lý|phát triển|kinh tế|xã hội|huyện|xã|"
    "thành phố|đồng chí|Giám đốc|Phó Chủ tịch|chỉ đạo|tổ chức|thực hiện|nhiệm vụ|kết quả|"
    "đánh giá|tổng kết|thông tin|truyền thông|ứng dụng|công nghệ|internet|băng rộng|"
    "điện thoại|thông minh|trung tâm|giám sát|điều hành|đô thị|nông thôn|tập huấn|"
    "diễn tập|ứng cứu sự cố|mã độc|tấn công|bảo mật|chữ ký số|thanh toán|hồ sơ|thủ tục|"
    "hành chính|một cửa|liên thông|tích hợp|chia sẻ|kết nối|Quyết định|Kế hoạch|số|"
    "tỉnh Bắc Kạn|tỉnh Lào Cai|tỉnh Quảng Ninh|tỉnh Thái Nguyên|thành phố Đà Nẵng|"
    "tỉnh Hòa Bình|tỉnh Nghệ An|tỉnh Tiền Giang|tỉnh Lâm Đồng|tỉnh Quảng Trị"
)
_WORDS = _WORD_LIST.split("|")


@dataclass(frozen=True)
class Article:
    """One article of the generated archive, as an export record holds it."""

    id: str
    title: str
    published: str | None
    body: str

    def record(self) -> dict:
        """The article as a JSON Lines record (the format of ../shared/corpus/README.md)."""
        return {
            "id": self.id,
            "url": None,
            "title": self.title,
            "published": self.published,
            "source": None,
            "topics": [],
            "body": self.body,
        }

    def page(self) -> str:
        """The article as a text scrape: title, update date, body."""
        when = ""
        if self.published:
            year, month, day = self.published[:10].split("-")
            when = f"( Cập nhật lúc: {day}/{month}/{year} )\n\n"
        return f"{self.title}\n\n{when}{self.body}\n"


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(low, high)))
    return words[0].upper() + words[1:]


def synthetic_articles(count: int, seed: int = 0) -> list[Article]:
    """``count`` articles of Vietnamese made of common news words, the same for a seed."""
    rng = random.Random(seed)
    articles = []
    for number in range(count):
        paragraphs = [
            " ".join(_sentence(rng, 6, 16) + "." for _ in range(rng.randint(2, 5)))
            for _ in range(rng.randint(2, 4))
        ]
        published = f"{rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        articles.append(
            Article(f"syn-{seed}-{number}", _sentence(rng, 6, 12), published, "\n".join(paragraphs))
        )
    return articles


def _records(path: Path) -> Iterator[dict]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                yield json.loads(line)


def corpus_articles(paths: list[Path], count: int) -> list[Article]:
    """The first ``count`` articles with a body of the JSON Lines exports ``paths``."""
    records = itertools.chain.from_iterable(_records(path) for path in paths)
    articles = []
    for fields in records:
        body = (fields.get("body") or "").strip()
        if not body:
            continue
        title = (fields.get("title") or body.split("\n", 1)[0][:120]).strip()
        published = fields.get("published")
        articles.append(Article(str(fields["id"]), title, published and published[:10], body))
        if len(articles) == count:
            break
    return articles


def _files(articles: dict[int, Article]) -> dict[str, str]:
    """Relative path -> content of an archive holding the numbered ``articles``: one in four
    as a page, the others as records of the export their number falls in."""
    files: dict[str, str] = {}
    for number, article in sorted(articles.items()):
        if number % 4 == 3:
            files[f"pages/{number:04d}.txt"] = article.page()
        else:
            name = f"exports/{number // PER_EXPORT:03d}.jsonl"
            line = json.dumps(article.record(), ensure_ascii=False) + "\n"
            files[name] = files.get(name, "") + line
    return files


def archive_versions(articles: list[Article], count: int) -> tuple[dict, dict]:
    """The files of version 0 (the first ``count`` articles) and of version 1.

    Version 1 adds every article beyond ``count``, edits records 0 and 4 and page 3, and
    drops record 1 and page 7. Needs ``count`` >= 8 and at least one article more.
    """
    if count < 8 or len(articles) <= count:
        raise ValueError("need at least 8 articles before and one more after")
    before = _files(dict(enumerate(articles[:count])))
    after = {n: a for n, a in enumerate(articles) if n not in (1, 7)}
    for number in (0, 3, 4):
        after[number] = replace(after[number], body=after[number].body + "\nBài đã cập nhật.")
    return before, _files(after)


def write_tree(folder: Path, files: dict[str, str]) -> None:
    """Make ``folder`` hold exactly ``files``: write those that differ, remove the others."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in [p for p in folder.rglob("*") if p.is_file()]:
        if path.relative_to(folder).as_posix() not in files:
            path.unlink()
    for name, text in files.items():
        target = folder / name
        data = text.encode("utf-8")
        if target.exists() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
