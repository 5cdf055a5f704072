"""Write the hostile inputs of tests/data/bad/ (see its README.md): python tests/data/make_bad.py

The files are committed; this script says exactly how each was made and makes them again.
The inputs too large or too odd to commit (a 50 MB page, lines of 1 MB, symbolic link loops)
are made at run time by ``write_large_inputs`` and ``write_link_traps``, for
tests/test_bad_inputs.py and bench/bad_inputs.py alike.
"""

from __future__ import annotations

import gzip
import json
import random
import unicodedata
from pathlib import Path

BAD = Path(__file__).resolve().parent / "bad"
TONES = "\u0300\u0301\u0303\u0309\u0323"
LEAD = (
    "Sở Thông tin và Truyền thông tỉnh Bắc Kạn tổ chức hội nghị triển khai Quyết định số "
    "570/QĐ-UBND về chuyển đổi số năm 2021. Hội nghị có sự tham dự của đại diện các sở, ban, "
    "ngành và Ủy ban nhân dân các huyện, thành phố."
)
CLOSING = (
    "Các đại biểu đã thảo luận về hạ tầng số, dữ liệu số và nhân lực số cho giai đoạn tới, "
    "đồng thời thống nhất lộ trình thực hiện."
)
ARTICLE = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Bắc Kạn triển khai chuyển đổi số năm 2021</title></head>
<body><div class="menu"><a href="/">Trang chủ</a> | <a href="/tin">Tin tức</a></div>
<div class="news"><h1>Bắc Kạn triển khai chuyển đổi số năm 2021</h1><p class="date">12/04/2021</p>
<p>{LEAD}</p><p>{LEAD.replace("2021", "2023")}</p><p>{CLOSING}</p>
</div><div class="footer">Bản quyền thuộc Sở TT&TT tỉnh Bắc Kạn</div></body></html>"""
NO_BODY = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Trang chủ</title></head>
<body><div class="menu"><a href="/">Trang chủ</a> | <a href="/gioi-thieu">Giới thiệu</a> |
<a href="/lien-he">Liên hệ</a></div><script>var x = 1;</script>
<div class="footer">Bản quyền © 2021</div></body></html>"""
TITLE_ONLY = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>Hội nghị trực tuyến về chuyển đổi số năm 2025 - Báo Điện tử</title>
<meta property="og:title" content="Hội nghị trực tuyến về chuyển đổi số năm 2025">
<script src="/static/app.js"></script></head>
<body><header><nav><a href="/">Trang chủ</a> <a href="/thoi-su">Thời sự</a></nav></header>
<main><h1>Hội nghị trực tuyến về chuyển đổi số năm 2025</h1><div id="root"></div></main>
<footer>© Báo Điện tử</footer></body></html>
"""  # a page whose text a script draws: its title alone is there to read
SCRIPT_TITLE = "&lt;script&gt;alert(1)&lt;/script&gt; Lào Cai cảnh báo lừa đảo"


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: base letters precomposed, tones combining."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(m for m in parts if m in TONES)
        out.append(unicodedata.normalize("NFC", "".join(m for m in parts if m not in TONES)))
        out.append(tones)
    return "".join(out).encode("cp1258")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def page(title: str, body: str = LEAD, date: str = "12/04/2021") -> str:
    """A text scrape: title, date line, two paragraphs."""
    return f"{title}\n\nNgày đăng: {date}\n\n{body}\n\n{body.replace('2021', '2022')}\n"


def record(doc_id: object, **fields: object) -> str:
    """One JSON Lines record."""
    data = {"id": doc_id, "title": f"Bài {doc_id} về chuyển đổi số", "published": "2021-05-01"}
    return json.dumps({**data, "body": LEAD, **fields}, ensure_ascii=False)


def lines(*items: str) -> str:
    return "\n".join(items) + "\n"


def files() -> dict[str, str | bytes]:
    """File name -> content."""
    rng = random.Random(7)
    noise = bytes(rng.randrange(256) for _ in range(4096)).replace(b"<", b"x")
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    packed = gzip.compress(lines(*(record(f"bad-d{i}") for i in range(1, 6))).encode(), mtime=0)
    nested = f"<h1>Tiền Giang quy hoạch tần số</h1><p>{LEAD}</p><p>{LEAD}</p>"
    nested = "<div>" * 20000 + nested + "</div>" * 20000
    return {
        "empty.txt": b"",
        "whitespace-only.txt": "  \n\t\n\u00a0\n   \n",
        "binary-junk.html": noise,
        "report-renamed.html": pdf + noise[:3000] + b"\n%%EOF\n",
        "truncated.html": ARTICLE[: ARTICLE.index(CLOSING) + 60],
        "no-body-text.html": NO_BODY,
        "title-only.html": TITLE_ONLY,
        "windows-1258.txt": cp1258(page("Lạng Sơn họp bàn an toàn thông tin")),
        "utf-16-bom.txt": page("Cần Thơ phát triển bưu chính công ích").encode("utf-16"),
        "utf-16le-no-bom.txt": page("Đà Nẵng ra mắt tổ công nghệ số").encode("utf-16-le"),
        "utf-16be-no-bom.txt": page("Hòa Bình lắp đặt truyền thanh thông minh").encode("utf-16-be"),
        "mixed-nfd.txt": page(nfd("Nghệ An trao giải báo chí")).replace(
            "Hội nghị", nfd("Hội nghị")
        ),
        "nul-bytes.html": ARTICLE.replace('<p class="date">', '<p class="date">\x00\x00'),
        "deeply-nested.html": f"<html><body>{nested}</body></html>",
        "one-huge-word.txt": page("Quảng Ninh diễn tập an toàn thông tin") + "x" * 200_000 + "\n",
        "control-characters.txt": page("Yên Bái\x07 số hóa\x1b[31m hồ sơ").replace(
            "Hội nghị", "Hội\x0b nghị\x0c"
        ),
        "script-in-title.html": (
            f'<html><head><meta charset="utf-8"><title>{SCRIPT_TITLE}</title></head><body>'
            f'<h1>{SCRIPT_TITLE} "onmouseover=alert(1)</h1><p>{LEAD}</p><p>{LEAD}</p></body></html>'
        ),
        "export-malformed-middle.jsonl": lines(
            record("bad-a1"),
            record("bad-a2"),
            '{"id": "bad-a3", "title": "cut',
            record("bad-a4"),
            "",
            "[1, 2, 3]",
            record("bad-a5"),
        ),
        "export-no-id-and-duplicate.jsonl": lines(
            record("bad-b1"),
            json.dumps({"title": "Không có id", "body": LEAD}, ensure_ascii=False),
            record("bad-b1", title="Bài trùng id"),
            record(""),
            record(12345),
        ),
        "export-wrong-types.jsonl": lines(
            record("bad-c1", topics="Chuyển đổi số", published=20210501),
            record("bad-c2", title=["a", "b"], body={"x": 1}),
            record("bad-c3", province=7, url=False),
        ),
        "export-truncated.jsonl.gz": packed[:-40],
        "export-not-gzip.jsonl.gz": lines(record("bad-e1"), record("bad-e2")),
        "sidecar-wrong-types.txt": page("Thái Nguyên cấp chữ ký số"),
        "sidecar-wrong-types.json": json.dumps(
            {
                "title": 5,
                "topics": "Chữ ký số",
                "published": ["2021"],
                "province": {"n": 1},
                "url": 3,
            }
        ),
        "sidecar-not-json.txt": page("Bắc Giang chuyển đổi số nông nghiệp"),
        "sidecar-not-json.json": "{title: 'Bắc Giang',",
    }


HUGE_PAGE = "huge-50MB.html"  # an HTML page of 50 MB
LONG_LINES = "lines-of-1MB.txt"  # a text scrape whose two paragraphs are lines of 1 MB
LINK_LOOPS = ("a-link.txt", "b-link.txt")  # two links to each other
DANGLING_LINK = "dangling.txt"  # a link to nothing
FOLDER_LOOP = "loop"  # a link to the folder it is in


def write_large_inputs(folder: Path, good: Path) -> None:
    """``HUGE_PAGE`` and ``LONG_LINES`` in a folder, made of the text of a good page."""
    paragraph = max(good.read_text(encoding="utf-8").splitlines(), key=len)
    block = "".join(f"<p>{paragraph} ({i})</p>\n" for i in range(2000))
    title = "Trang rất lớn"
    with (folder / HUGE_PAGE).open("w", encoding="utf-8") as page:
        page.write(f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>")
        page.write(f"<h1>{title}</h1>")
        while page.tell() < 50 * 2**20:
            page.write(block)
        page.write("</body></html>")
    words = good.read_text(encoding="utf-8").split()
    line = " ".join(words[i % len(words)] for i in range(200_000))[: 2**20]
    text = f"Dòng rất dài\n\nNgày đăng: 01/02/2021\n\n{line}\n\n{line}\n"
    (folder / LONG_LINES).write_text(text, encoding="utf-8")


def write_link_traps(folder: Path) -> None:
    """``FOLDER_LOOP``, ``LINK_LOOPS`` and ``DANGLING_LINK`` in a folder."""
    (folder / FOLDER_LOOP).symlink_to(folder)
    first, second = LINK_LOOPS
    (folder / first).symlink_to(folder / second)
    (folder / second).symlink_to(folder / first)
    (folder / DANGLING_LINK).symlink_to(folder / "nowhere.txt")


def main() -> None:
    BAD.mkdir(exist_ok=True)
    for name, content in files().items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (BAD / name).write_bytes(data)


if __name__ == "__main__":
    main()
