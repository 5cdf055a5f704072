"""Atom feeds (RFC 4287) of searches and documents, read back with feedparser.

The fixture index (seeds and fixture pages) serves most tests; the seeds alone check the
document feed as a fresh clone serves it; a small archive made here has more articles than
a feed holds, partial and missing dates, authors, sources and original URLs of every kind.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime

import feedparser
import pytest

from indexer.build.builder import build_index
from search_app import create_app
from search_app.results import SearchRequest
from search_app.web.feeds import FEED_SIZE, published_at

SEED_000 = "seeds/000_b31f338fe211c5e8.txt"  # cites 570/QĐ-UBND, 2020
SEED_002 = "seeds/002_a9241768a893bb1d.txt"  # its near-duplicate, 2023
ROOT = "http://localhost/"


def read_feed(client, url: str):
    """A feed as a feed reader sees it; fails on anything but a well-formed Atom 1.0 feed."""
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type == "application/atom+xml; charset=utf-8"
    # Unsanitized: feedparser's HTML allow-list predates <mark> and would drop the tag (not
    # its text); the summary is checked as we send it.
    parsed = feedparser.parse(response.data, sanitize_html=False)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def links(entry) -> dict[str, list[str]]:
    """An entry's (or a feed's) link targets by relation."""
    found: dict[str, list[str]] = {}
    for link in entry.links:
        found.setdefault(link.rel, []).append(link.href)
    return found


def article_id(entry) -> str:
    """The archive's id of an article, from its entry's id (its page's URL)."""
    assert entry.id.startswith(ROOT + "article/")
    return entry.id.removeprefix(ROOT + "article/")


# --- The search feed ------------------------------------------------------------------------


def test_search_feed_lists_the_newest_results_ungrouped(client, archive_search):
    feed = read_feed(client, "/search.atom?q=bac+kan")
    expected = [hit.id for hit in archive_search.export(SearchRequest(q="bac kan", sort="newest"))]
    assert [article_id(entry) for entry in feed.entries] == expected[:FEED_SIZE]
    # Near-duplicates, grouped as one result on the page, are entries of their own.
    assert {SEED_000, SEED_002} <= {article_id(entry) for entry in feed.entries}
    dates = [entry.get("published", "") for entry in feed.entries]
    assert [d for d in dates if d] == sorted((d for d in dates if d), reverse=True)
    assert len({entry.id for entry in feed.entries}) == len(feed.entries)


def test_search_feed_describes_itself(client):
    feed = read_feed(client, "/search.atom?q=bac+kan&province=bac-kan&from=2020")
    canonical = ROOT + "search.atom?q=bac+kan&province=bac-kan&from=2020"
    assert feed.feed.id == canonical
    assert links(feed.feed) == {
        "self": [canonical],
        "alternate": [ROOT + "search?q=bac+kan&province=bac-kan&from=2020&sort=newest"],
    }
    assert feed.feed.title == (
        "«bac kan» · Tỉnh, thành phố (khi đăng bài): Bắc Kạn · Thời gian: từ 2020"
    )
    assert feed.feed.author == "Tra cứu tin Sở Thông tin và Truyền thông"
    assert feed.feed.language == "vi"
    assert feed.feed.updated == max(entry.updated for entry in feed.entries)


def test_search_feed_entries_have_every_field(client, archive_search):
    feed = read_feed(client, "/search.atom?q=bac+kan")
    hits = {hit.id: hit for hit in archive_search.export(SearchRequest(q="bac kan"))}
    seed = next(entry for entry in feed.entries if article_id(entry) == SEED_000)
    assert seed.title == "Chức năng nhiệm vụ"
    assert seed.published == seed.updated == "2020-05-08T00:00:00+07:00"
    assert seed.author == "Hà Văn Tiến"
    assert links(seed) == {"alternate": [f"{ROOT}article/{SEED_000}?q=bac+kan"]}
    assert seed.summary_detail.type == "text/html"
    assert "<mark>Bắc Kạn</mark>" in seed.summary
    for entry in feed.entries:
        hit = hits[article_id(entry)]
        assert entry.title == (hit.title or hit.id)
        assert "<mark>" in entry.summary
        originals = links(entry).get("related", [])
        assert originals == ([hit.url] if hit.url and hit.url.startswith("http") else [])


def test_an_entry_links_its_original(client):
    feed = read_feed(client, "/search.atom?q=diễn+tập+an+toàn+thông+tin+Lào+Cai")
    entry = next(e for e in feed.entries if article_id(e) == "fx-attt-laocai")
    assert links(entry)["related"] == ["https://example.gov.vn/laocai/attt-2022"]
    assert links(entry)["alternate"][0].startswith(ROOT + "article/fx-attt-laocai?q=")
    assert entry.author == "Sở TT&TT Lào Cai"  # no author: the source stands for it


def test_the_feed_is_stable_and_ignores_sort_and_page(client):
    first = client.get("/search.atom?q=bac+kan").data
    assert client.get("/search.atom?q=bac+kan").data == first
    assert client.get("/search.atom?q=bac+kan&sort=relevance&page=3").data == first


@pytest.mark.parametrize(
    ("query", "check"),
    [
        ("province=bac-kan", lambda hit: hit.province == "Bắc Kạn"),
        ("year=2021", lambda hit: (hit.published or "").startswith("2021")),
        ("q=thông+tin&from=2021&to=2022", lambda hit: "2021" <= hit.published[:4] <= "2022"),
    ],
)
def test_search_feed_keeps_the_filters(client, archive_search, query, check):
    from werkzeug.datastructures import MultiDict

    from search_app.web.params import parse_request

    feed = read_feed(client, f"/search.atom?{query}")
    request = parse_request(MultiDict([part.split("=") for part in query.split("&")]))
    hits = {hit.id: hit for hit in archive_search.export(request)}
    assert feed.entries and len(feed.entries) == min(len(hits), FEED_SIZE)
    assert all(check(hits[article_id(entry)]) for entry in feed.entries)


def test_an_empty_search_is_an_empty_feed(client, archive_search):
    feed = read_feed(client, "/search.atom?q=bac+kan&year=1990")
    assert feed.entries == []
    assert feed.feed.updated == archive_search.committed().isoformat()


@pytest.mark.parametrize(
    "query", ["page=abc", "sort=oldest", "from=2021-13", "to=hôm+qua", "from=2022&to=2021"]
)
def test_bad_parameters_are_the_pages_400(client, query):
    feed, page = client.get(f"/search.atom?{query}"), client.get(f"/search?{query}")
    assert feed.status_code == page.status_code == 400
    assert feed.get_data(as_text=True) == page.get_data(as_text=True)
    assert "Yêu cầu không hợp lệ" in feed.get_data(as_text=True)


@pytest.mark.parametrize("q", ["%01bac%0bkan%1f", "%EF%BF%BE", "<script>", "%22unclosed", "OR"])
def test_odd_queries_still_make_feeds(client, q):
    assert read_feed(client, f"/search.atom?q={q}").feed.title


# --- The document feed ----------------------------------------------------------------------


def test_document_feed_lists_the_articles_citing_it_newest_first(client, archive_search):
    feed = read_feed(client, "/document/570/qd-ubnd.atom")
    ids = [article_id(entry) for entry in feed.entries]
    assert ids == [a.id for a in reversed(archive_search.document("570/qd-ubnd").articles)]
    assert ids.index(SEED_002) < ids.index(SEED_000)
    assert feed.feed.id == ROOT + "document/570/qd-ubnd.atom"
    assert feed.feed.title == "Văn bản 570/QĐ-UBND – các bài nhắc đến"
    assert links(feed.feed)["alternate"] == [ROOT + "document/570/qd-ubnd"]
    for entry in feed.entries:  # the article pages mark the number
        assert links(entry)["alternate"][0].endswith("?q=570%2FQ%C4%90-UBND")


def test_the_document_page_and_its_feed_share_the_path(client):
    page = client.get("/document/570/qd-ubnd")
    assert page.status_code == 200 and page.content_type.startswith("text/html")
    assert "<h1>Văn bản 570/QĐ-UBND</h1>" in page.get_data(as_text=True)
    assert client.get("/document/570/qd-ubnd.atom").content_type.startswith("application/atom")


def test_a_document_number_as_written_redirects_to_its_feed(client):
    response = client.get("/document/570/QĐ-UBND.atom")
    assert response.status_code == 301 and response.location == "/document/570/qd-ubnd.atom"


@pytest.mark.parametrize("path", ["/document/999/qd-ubnd.atom", "/document/nope.atom"])
def test_unknown_document_feeds_are_404(client, path):
    assert client.get(path).status_code == 404


@pytest.fixture(scope="module")
def seeds_client(tmp_path_factory):
    """The app over an index of the seed archive alone, as `make run` serves it."""
    from tests.conftest import SEEDS

    folder = tmp_path_factory.mktemp("seeds-only")
    shutil.copytree(SEEDS, folder / "archive")
    assert build_index([folder / "archive"], folder / "ix", jobs=1).failed == 0
    app = create_app({"INDEX_DIR": str(folder / "ix"), "TESTING": True})
    yield app.test_client()
    app.extensions["archive_search"].handle.close()


def test_on_the_seeds_the_document_feed_lists_both_citing_articles(seeds_client):
    feed = read_feed(seeds_client, "/document/570/qd-ubnd.atom")
    assert [article_id(entry) for entry in feed.entries] == [
        "002_a9241768a893bb1d.txt",
        "000_b31f338fe211c5e8.txt",
    ]
    assert [entry.published[:10] for entry in feed.entries] == ["2023-08-28", "2020-05-08"]
    everything = read_feed(seeds_client, "/search.atom")
    assert len(everything.entries) == 5
    undated = [entry for entry in everything.entries if "published" not in entry]
    assert [article_id(entry) for entry in undated] == ["001_0aed432f8589718d.txt"]


# --- The pages link their feeds --------------------------------------------------------------

FEED_LINK = re.compile(
    r'<link rel="alternate" type="application/atom\+xml" title="([^"]+)" href="([^"]+)">'
)
FOLLOW = re.compile(r'<p class="follow"><a href="([^"]+)"[^>]*>Theo dõi \(RSS/Atom\)</a></p>')


@pytest.mark.parametrize(
    ("page", "feed", "title"),
    [
        ("/search?q=bac+kan&sort=newest&page=2", "/search.atom?q=bac+kan", "«bac kan»"),
        ("/search?year=2021", "/search.atom?year=2021", "Tất cả bài viết · Năm: 2021"),
        ("/search?q=zzzkhông", "/search.atom?q=zzzkh%C3%B4ng", "«zzzkhông»"),
        (
            "/document/570/qd-ubnd",
            "/document/570/qd-ubnd.atom",
            "Văn bản 570/QĐ-UBND – các bài nhắc đến",
        ),
    ],
)
def test_pages_link_their_feed_in_the_head_and_visibly(client, page, feed, title):
    html = client.get(page).get_data(as_text=True)
    head = html[: html.index("</head>")]
    assert FEED_LINK.findall(head) == [(title, feed.replace("&", "&amp;"))]
    assert FOLLOW.findall(html) == [feed.replace("&", "&amp;")]
    assert read_feed(client, feed).feed.title == title


@pytest.mark.parametrize("page", ["/article/nope", "/search?page=x", f"/article/{SEED_000}"])
def test_other_pages_have_no_feed(client, page):
    html = client.get(page).get_data(as_text=True)
    assert "application/atom+xml" not in html and "Theo dõi" not in html


# --- A feed holds the newest FEED_SIZE articles ----------------------------------------------

MANY = 60  # articles in the archive made here, more than a feed holds


def _record(number: int) -> dict:
    record = {
        "id": f"tin-{number:02d}",
        "title": f"Tin chuyển đổi số số {number}",
        "body": f"Bản tin thứ {number} về chuyển đổi số của tỉnh, mã {number * 7919}.",
        "published": f"20{10 + number // 12:02d}-{number % 12 + 1:02d}-{number % 27 + 1:02d}",
        "author": f"Phóng viên {number}" if number % 3 == 0 else None,
        "source": "Báo Bắc Kạn" if number % 3 == 1 else None,
        "url": f"https://stttt.backan.gov.vn/tin/{number}" if number % 2 else None,
    }
    return {key: value for key, value in record.items() if value is not None}


ODD_RECORDS = [
    {"id": "nam", "title": "Chỉ biết năm chuyển đổi số", "body": "Chuyển đổi số.",
     "published": "2016"},
    {"id": "thang", "title": "Chỉ biết tháng chuyển đổi số", "body": "Chuyển đổi số.",
     "published": "2015-06"},
    {"id": "khong-ngay", "title": "Không rõ ngày chuyển đổi số", "body": "Chuyển đổi số.",
     "url": "javascript:alert(1)"},
    {"id": "chi-trang", "title": "Chỉ có trang gốc", "body": "Chuyển đổi số ở Bắc Giang.",
     "published": "2015-03-02", "url": "http://bacgiang.gov.vn/a"},
]  # fmt: skip


@pytest.fixture(scope="module")
def many_client(tmp_path_factory):
    """The app over an archive of MANY dated articles and a few odd ones."""
    folder = tmp_path_factory.mktemp("many")
    records = [_record(n) for n in range(MANY)] + ODD_RECORDS
    with (folder / "news.jsonl").open("w", encoding="utf-8") as export:
        for record in records:
            export.write(json.dumps(record, ensure_ascii=False) + "\n")
    assert build_index([folder / "news.jsonl"], folder / "ix", jobs=1).indexed == len(records)
    app = create_app({"INDEX_DIR": str(folder / "ix"), "TESTING": True})
    yield app.test_client(), app.extensions["archive_search"]
    app.extensions["archive_search"].handle.close()


def test_a_feed_holds_the_newest_fifty(many_client):
    client, archive = many_client
    assert archive.search(SearchRequest(q="chuyen doi so")).total == MANY + len(ODD_RECORDS)
    feed = read_feed(client, "/search.atom?q=chuyen+doi+so")
    assert len(feed.entries) == FEED_SIZE == 50
    dated = [entry.published for entry in feed.entries]
    assert dated == sorted(dated, reverse=True)
    newest = sorted((_record(n) for n in range(MANY)), key=lambda r: r["published"])[-1]
    assert [article_id(e) for e in feed.entries[:4]] == ["nam", "thang", "chi-trang", newest["id"]]


def entries_of(client, url: str) -> dict:
    """A feed's entries by article id."""
    return {article_id(entry): entry for entry in read_feed(client, url).entries}


def test_partial_and_missing_dates(many_client):
    client, archive = many_client
    entries = entries_of(client, "/search.atom?year=2015&year=2016")
    assert entries["nam"].published == entries["nam"].updated == "2016-01-01T00:00:00+07:00"
    assert entries["thang"].published == "2015-06-01T00:00:00+07:00"
    undated = entries_of(client, "/search.atom?q=khong+ro+ngay")["khong-ngay"]
    assert "published" not in undated
    assert undated.updated == archive.committed().isoformat()  # the index commit, not "now"
    assert read_feed(client, "/search.atom").feed.updated == "2016-01-01T00:00:00+07:00"


def test_authors_titles_and_originals(many_client):
    client, _ = many_client
    entries = entries_of(client, "/search.atom?year=2010")
    assert entries["tin-03"].author == "Phóng viên 3"
    assert entries["tin-04"].author == "Báo Bắc Kạn"  # no author: the source
    assert "author" not in entries["tin-02"]  # nothing: the feed's author stands for it
    assert links(entries["tin-01"])["related"] == ["https://stttt.backan.gov.vn/tin/1"]
    assert "related" not in links(entries["tin-02"])
    page_only = entries_of(client, "/search.atom?year=2015")["chi-trang"]
    assert page_only.author == "bacgiang.gov.vn"  # neither: the site
    assert page_only.title == "Chỉ có trang gốc"
    assert links(page_only)["related"] == ["http://bacgiang.gov.vn/a"]
    undated = entries_of(client, "/search.atom?q=khong+ro+ngay")["khong-ngay"]
    assert "related" not in links(undated)  # javascript: is no link


@pytest.mark.parametrize(
    ("published", "instant"),
    [
        ("2021-03-05", "2021-03-05T00:00:00+07:00"),
        ("2021-03", "2021-03-01T00:00:00+07:00"),
        ("2021", "2021-01-01T00:00:00+07:00"),
        ("2021-02-30", "2021-02-01T00:00:00+07:00"),  # no such day: its month
        ("2021-13", "2021-01-01T00:00:00+07:00"),  # no such month: its year
        ("", None),
        (None, None),
        ("không rõ", None),
    ],
)
def test_published_at(published, instant):
    found = published_at(published)
    assert (found.isoformat() if found else None) == instant
    if found:
        assert isinstance(found, datetime) and found.utcoffset().total_seconds() == 7 * 3600
