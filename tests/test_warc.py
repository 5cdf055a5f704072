"""Web archives as input (issue 5): WARC and ARC files written here with warcio, indexed by
the real build and searched through the app."""

from __future__ import annotations

import gzip
import os
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pytest
from warc_fixtures import Other, Request, Response, windows_1258, write_arc, write_warc
from whoosh import index

from indexer.build.builder import build_index, read_manifests
from indexer.build.cli import main
from indexer.inputs.sources import discover
from indexer.inputs.warc import load_capture, scan_archive, url_key
from indexer.records import CaptureRef, Location, RawRecord
from search_app import create_app

BAC_KAN = "http://stttt.backan.gov.vn/tin-tuc/hoi-nghi-chuyen-doi-so"
LAO_CAI = "https://sotttt.laocai.gov.vn/tin-tuc?id=57"
DIEN_BIEN = "http://stttt.dienbien.gov.vn/tin/bao-chi"


def page(title: str, paragraphs: list[str], published: str | None = None, url: str = "") -> str:
    """A news page as a provincial site serves it."""
    date = f'<meta property="article:published_time" content="{published}">' if published else ""
    canonical = f'<link rel="canonical" href="{url}">' if url else ""
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>'
        f"{date}{canonical}</head><body><nav><a href='/'>Trang chủ</a></nav>"
        f"<article><h1>{title}</h1>{body}</article></body></html>"
    )


BAC_KAN_PAGE = page(
    "Bắc Kạn triển khai kế hoạch chuyển đổi số năm 2021",
    [
        "Sở Thông tin và Truyền thông tỉnh Bắc Kạn tổ chức hội nghị triển khai kế hoạch "
        "chuyển đổi số năm 2021 với sự tham gia của lãnh đạo các sở, ban, ngành.",
        "Hội nghị thống nhất lộ trình xây dựng chính quyền số và kinh tế số của tỉnh.",
    ],
    published="2021-03-05T08:00:00+07:00",
)
LAO_CAI_TEXT = (
    "Lào Cai diễn tập ứng cứu sự cố an toàn thông tin mạng",
    [
        "Tỉnh Lào Cai tổ chức diễn tập ứng cứu sự cố an toàn thông tin mạng cho các cơ quan "
        "nhà nước trên địa bàn tỉnh.",
        "Buổi diễn tập giúp cán bộ chuyên trách nâng cao kỹ năng phát hiện và xử lý tấn công.",
    ],
    "2022-06-01",
)
LAO_CAI_PAGE = page(*LAO_CAI_TEXT)
UNDATED_PAGE = page(
    "Điện Biên gặp mặt các cơ quan báo chí nhân ngày Báo chí cách mạng",
    [
        "Ban Tuyên giáo tỉnh Điện Biên phối hợp với Sở Thông tin và Truyền thông gặp mặt các "
        "cơ quan báo chí trên địa bàn nhân kỷ niệm ngày Báo chí cách mạng Việt Nam.",
    ],
)


def every_kind_of_record() -> list:
    """One HTML response per encoding, and one record of each kind that is not a page."""
    return [
        Request(BAC_KAN),
        Response(BAC_KAN, BAC_KAN_PAGE),
        Response(BAC_KAN + "?cach=chunked", BAC_KAN_PAGE, chunked=True),
        Response(BAC_KAN + "?cach=gzip", BAC_KAN_PAGE, content_encoding="gzip"),
        Response(BAC_KAN + "?cach=deflate", BAC_KAN_PAGE, content_encoding="deflate"),
        Response(BAC_KAN + "?cach=ca-hai", BAC_KAN_PAGE, chunked=True, content_encoding="gzip"),
        Response("http://stttt.backan.gov.vn/cu", "", status="301 Moved Permanently"),
        Response("http://stttt.backan.gov.vn/mat", "Không tìm thấy", status="404 Not Found"),
        Response("http://stttt.backan.gov.vn/loi", "Lỗi", status="500 Internal Server Error"),
        Response("http://stttt.backan.gov.vn/logo.png", b"\x89PNG\r\n", content_type="image/png"),
        Response("http://stttt.backan.gov.vn/api", '{"a": 1}', content_type="application/json"),
        Other(BAC_KAN, "metadata"),
        Other(BAC_KAN, "revisit"),
    ]


NOT_PAGES = {"redirect": 1, "error status": 2, "not html": 2}
WARC_ONLY = {"request": 1, "metadata": 1, "revisit": 1}  # ARC files hold responses only


def write_any(path: Path, records: list) -> Path:
    """A WARC, or an ARC file of the responses, by the file's name."""
    if ".arc" in path.name and ".warc" not in path.name:
        return write_arc(path, [r for r in records if isinstance(r, Response)])
    return write_warc(path, records)


def scan(path: Path):
    (source,), failures = discover([path])
    assert not failures and source.kind == "warc"
    return scan_archive(source)


def loaded(capture) -> RawRecord:
    ref = CaptureRef(capture.source, capture.offset, capture.url, capture.captured)
    return load_capture(RawRecord(capture.key, "warc", capture.source, capture=ref))


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz", "crawl.arc", "crawl.arc.gz"])
def test_every_format_and_encoding_gives_the_page_back(tmp_path, name):
    found = scan(write_any(tmp_path / name, every_kind_of_record()))
    assert found.failure is None
    expected = NOT_PAGES | (WARC_ONLY if ".warc" in name else {})
    assert dict(found.skipped) == expected
    assert [c.url for c in found.captures] == [
        r.url
        for r in every_kind_of_record()
        if isinstance(r, Response) and r.status == "200 OK" and "html" in r.content_type
    ]
    for capture in found.captures:  # chunked, gzip, deflate: the same page once decoded
        record = loaded(capture)
        assert record.kind == "html" and record.content == BAC_KAN_PAGE
        assert record.fields["url"] == capture.url
    assert len({c.payload for c in found.captures}) == 1


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("http://stttt.backan.gov.vn/tin", "stttt.backan.gov.vn/tin"),
        ("https://WWW.Stttt.BacKan.gov.vn:443/tin#binh-luan", "stttt.backan.gov.vn/tin"),
        ("http://a.gov.vn:8080/", "a.gov.vn:8080/"),
        ("http://a.gov.vn", "a.gov.vn/"),
        ("http://a.gov.vn/t?id=5&utm_source=zalo&fbclid=x", "a.gov.vn/t?id=5"),
        ("http://a.gov.vn/t?utm_campaign=x", "a.gov.vn/t"),
        ("dns:stttt.backan.gov.vn", None),
        ("urn:pageinfo:http://a.gov.vn/", None),
        ("http://a.gov.vn:port/", None),
    ],
)
def test_url_key(url, key):
    assert url_key(url) == key


def test_the_http_charset_decodes_the_page(tmp_path):
    # Windows-1258 declared only by the response, with a page that claims UTF-8.
    body = BAC_KAN_PAGE.replace("Bắc Kạn triển khai", "Tỉnh Bắc Kạn triển khai")
    declared = "text/html; charset=windows-1258"
    path = write_warc(
        tmp_path / "cp1258.warc",
        [Response(BAC_KAN, windows_1258(body), content_type=declared)],
    )
    (capture,) = scan(path).captures
    assert unicodedata.normalize("NFC", loaded(capture).content) == body
    report = build_index([path], tmp_path / "ix", jobs=1)
    assert report.indexed == 1
    with index.open_dir(str(tmp_path / "ix")).searcher() as searcher:
        (doc,) = searcher.all_stored_fields()
    assert doc["title"] == "Tỉnh Bắc Kạn triển khai kế hoạch chuyển đổi số năm 2021"


@pytest.fixture
def crawl(tmp_path) -> Path:
    """A folder with one crawl of three articles and the records around them."""
    folder = tmp_path / "crawl"
    folder.mkdir()
    write_warc(
        folder / "2024.warc.gz",
        [
            Request(BAC_KAN, date="2024-05-01T08:00:00Z"),
            Response(BAC_KAN, BAC_KAN_PAGE, date="2024-05-01T08:00:00Z", chunked=True),
            Response(LAO_CAI, LAO_CAI_PAGE, date="2024-05-02T09:30:00Z", content_encoding="gzip"),
            Response(DIEN_BIEN, UNDATED_PAGE, date="2024-05-03T10:00:00Z"),
            Response("http://stttt.backan.gov.vn/", "", status="302 Found"),
        ],
    )
    return folder


def stored(index_dir: Path) -> dict[str, dict]:
    with index.open_dir(str(index_dir)).searcher() as searcher:
        return {doc["id"]: doc for doc in searcher.all_stored_fields()}


def search_json(index_dir: Path, query: str, path: str = "/search.json") -> dict:
    app = create_app({"INDEX_DIR": str(index_dir), "TESTING": True})
    try:
        return app.test_client().get(path, query_string={"q": query}).get_json()
    finally:
        app.extensions["archive_search"].handle.close()


def test_a_crawl_is_indexed_and_searched(crawl, tmp_path):
    report = build_index([crawl], tmp_path / "ix", jobs=2)
    assert (report.indexed, report.failed) == (3, 0)
    assert dict(report.skipped) == {"request": 1, "redirect": 1}
    docs = stored(tmp_path / "ix")
    assert set(docs) == {url_key(BAC_KAN), url_key(LAO_CAI), url_key(DIEN_BIEN)}
    lao_cai = docs[url_key(LAO_CAI)]["meta"]
    assert lao_cai["url"] == LAO_CAI and lao_cai["urls"] == [LAO_CAI]
    assert (lao_cai["published"], lao_cai["captured"]) == ("2022-06-01", "2024-05-02T09:30:00Z")
    data = search_json(tmp_path / "ix", "dien tap an toan thong tin Lao Cai")
    assert [(hit["id"], hit["url"], hit["province"]) for hit in data["hits"]][:1] == [
        ("sotttt.laocai.gov.vn/tin-tuc?id=57", LAO_CAI, "Lào Cai")
    ]


def test_a_capture_date_is_never_the_publication_date(crawl, tmp_path):
    build_index([crawl], tmp_path / "ix", jobs=1)
    meta = stored(tmp_path / "ix")[url_key(DIEN_BIEN)]["meta"]
    assert meta["captured"] == "2024-05-03T10:00:00Z" and meta["published"] is None


def test_an_article_whose_id_has_a_query_opens(crawl, tmp_path):
    build_index([crawl], tmp_path / "ix", jobs=1)
    app = create_app({"INDEX_DIR": str(tmp_path / "ix"), "TESTING": True})
    try:
        response = app.test_client().get("/article/" + quote(url_key(LAO_CAI), safe="/"))
    finally:
        app.extensions["archive_search"].handle.close()
    assert response.status_code == 200
    assert "Lào Cai diễn tập ứng cứu sự cố" in response.get_data(as_text=True)


@pytest.mark.parametrize("newest_first", [False, True])
def test_the_same_url_captured_twice_keeps_the_newest(tmp_path, newest_first):
    old = Response(BAC_KAN, BAC_KAN_PAGE, date="2023-01-01T00:00:00Z")
    newer_page = BAC_KAN_PAGE.replace("lộ trình", "kế hoạch chi tiết")
    new = Response(BAC_KAN.replace("http:", "https:"), newer_page, date="2024-01-01T00:00:00Z")
    path = write_warc(tmp_path / "a.warc", [new, old] if newest_first else [old, new])
    report = build_index([path], tmp_path / "ix", jobs=1)
    assert report.indexed == 1 and report.skipped["older capture"] == 1
    (doc,) = stored(tmp_path / "ix").values()
    assert "kế hoạch chi tiết" in doc["body"]
    assert doc["meta"]["captured"] == "2024-01-01T00:00:00Z" and doc["meta"]["url"] == new.url


def test_the_same_text_under_two_urls_is_one_article_with_both(tmp_path):
    long_url = "http://www.sotttt.laocai.gov.vn/Pages/tin-tuc.aspx?ItemID=57&print=1"

    def served_at(url: str) -> str:  # each page names its own URL, as canonical links do
        return page(*LAO_CAI_TEXT, url=url.replace("&", "&amp;"))

    path = write_warc(
        tmp_path / "a.warc.gz",
        [
            Response(long_url, served_at(long_url)),
            Response(LAO_CAI, served_at(LAO_CAI)),
            Response(DIEN_BIEN, UNDATED_PAGE),
        ],
    )
    report = build_index([path], tmp_path / "ix", jobs=1)
    assert report.indexed == 2 and report.skipped["same text as another URL"] == 1
    doc = stored(tmp_path / "ix")[url_key(LAO_CAI)]
    assert doc["meta"]["url"] == LAO_CAI and doc["meta"]["urls"] == [LAO_CAI, long_url]
    assert len(search_json(tmp_path / "ix", '"diễn tập ứng cứu sự cố"')["hits"]) == 1
    app = create_app({"INDEX_DIR": str(tmp_path / "ix"), "TESTING": True, "WARM_UP": False})
    try:
        article = "/article/" + quote(url_key(LAO_CAI), safe="/")
        html = app.test_client().get(article).get_data(as_text=True)
    finally:
        app.extensions["archive_search"].handle.close()
    also = html[html.index("<dt>Cũng đăng tại</dt>") : html.index("<dt>Lưu trữ lúc</dt>")]
    assert long_url.replace("&", "&amp;") in also and LAO_CAI not in also
    assert "(bản lưu của trang web, không phải ngày đăng)" in html


def test_near_duplicates_under_two_urls_are_grouped_at_search_time(tmp_path):
    lines = [
        "Sáng nay, Sở Thông tin và Truyền thông tỉnh Điện Biên tổ chức hội nghị tổng kết công tác "
        "thông tin tuyên truyền năm 2022 và triển khai nhiệm vụ năm 2023 tại Điện Biên Phủ.",
        "Năm qua, các cơ quan báo chí trên địa bàn tỉnh đã đăng tải hàng nghìn tin bài phản ánh "
        "kịp thời các sự kiện chính trị, kinh tế, văn hóa và xã hội của địa phương.",
        "Hội nghị cũng biểu dương các tập thể và cá nhân có thành tích xuất sắc trong công tác "
        "thông tin đối ngoại và phát triển hạ tầng viễn thông ở vùng sâu, vùng xa.",
    ]
    first = page("Điện Biên tổng kết công tác thông tin tuyên truyền năm 2022", lines)
    second = page(
        "Tổng kết công tác thông tin tuyên truyền năm 2022 ở Điện Biên",
        [*lines[:2], "Lãnh đạo Sở giao nhiệm vụ cho năm 2023."],
    )
    path = write_warc(
        tmp_path / "a.warc", [Response(DIEN_BIEN, first), Response(DIEN_BIEN + "-2", second)]
    )
    assert build_index([path], tmp_path / "ix", jobs=1).indexed == 2
    hits = search_json(tmp_path / "ix", "tong ket cong tac thong tin tuyen truyen")["hits"]
    assert len(hits) == 1 and len(hits[0]["similar"]) == 1
    assert {hits[0]["id"], hits[0]["similar"][0]["id"]} == {
        url_key(DIEN_BIEN),
        url_key(DIEN_BIEN + "-2"),
    }


def test_a_rerun_with_nothing_changed_reads_no_archive(crawl, tmp_path):
    build_index([crawl], tmp_path / "ix", jobs=1)
    report = build_index([crawl], tmp_path / "ix", jobs=1)
    assert (report.indexed, report.unchanged, report.deleted) == (0, 3, 0)
    assert not report.skipped  # counted while scanning: nothing was scanned


def test_an_archive_without_pages_is_not_read_again(crawl, tmp_path):
    write_warc(crawl / "images.warc.gz", every_kind_of_record()[6:])  # no HTML response
    first = build_index([crawl], tmp_path / "ix", jobs=1)
    assert first.indexed == 3 and first.skipped["not html"] == 2
    again = build_index([crawl], tmp_path / "ix", jobs=1)
    assert (again.indexed, again.unchanged, dict(again.skipped)) == (0, 3, {})


def test_a_touched_archive_is_scanned_but_not_reindexed(crawl, tmp_path):
    build_index([crawl], tmp_path / "ix", jobs=1)
    os.utime(crawl / "2024.warc.gz", ns=(1, 1))
    report = build_index([crawl], tmp_path / "ix", jobs=1)
    assert (report.indexed, report.unchanged) == (1, 2)  # the first article records the stamp
    assert report.skipped["request"] == 1
    again = build_index([crawl], tmp_path / "ix", jobs=1)
    assert (again.indexed, again.unchanged, dict(again.skipped)) == (0, 3, {})


def test_a_newer_crawl_replaces_and_its_removal_restores(crawl, tmp_path):
    build_index([crawl], tmp_path / "ix", jobs=1)
    newer = BAC_KAN_PAGE.replace("lộ trình", "kế hoạch chi tiết")
    write_warc(crawl / "2025.warc", [Response(BAC_KAN, newer, date="2025-02-01T00:00:00Z")])
    report = build_index([crawl], tmp_path / "ix", jobs=1)
    assert report.deleted == 0 and report.skipped["older capture"] == 1
    docs = stored(tmp_path / "ix")
    assert len(docs) == 3 and "kế hoạch chi tiết" in docs[url_key(BAC_KAN)]["body"]
    assert docs[url_key(BAC_KAN)]["meta"]["captured"] == "2025-02-01T00:00:00Z"

    (crawl / "2025.warc").unlink()
    report = build_index([crawl], tmp_path / "ix", jobs=1)
    assert report.deleted == 0
    docs = stored(tmp_path / "ix")
    assert len(docs) == 3 and "lộ trình" in docs[url_key(BAC_KAN)]["body"]
    assert docs[url_key(BAC_KAN)]["meta"]["captured"] == "2024-05-01T08:00:00Z"


def test_an_older_crawl_added_later_changes_nothing_it_loses(crawl, tmp_path):
    build_index([crawl], tmp_path / "ix", jobs=1)
    older = BAC_KAN_PAGE.replace("lộ trình", "dự thảo")
    write_warc(crawl / "2020.warc", [Response(BAC_KAN, older, date="2020-01-01T00:00:00Z")])
    build_index([crawl], tmp_path / "ix", jobs=1)
    assert "lộ trình" in stored(tmp_path / "ix")[url_key(BAC_KAN)]["body"]
    assert build_index([crawl], tmp_path / "ix", jobs=1).indexed == 0


def test_a_crawl_in_another_folder_still_takes_part(crawl, tmp_path):
    build_index([crawl], tmp_path / "ix", jobs=1)
    other = tmp_path / "other"
    other.mkdir()
    write_warc(
        other / "2019.warc",
        [
            Response(
                BAC_KAN, BAC_KAN_PAGE.replace("lộ trình", "dự thảo"), date="2019-01-01T00:00:00Z"
            )
        ],
    )
    report = build_index([other], tmp_path / "ix", jobs=1)
    assert report.deleted == 0
    docs = stored(tmp_path / "ix")
    assert len(docs) == 3 and "lộ trình" in docs[url_key(BAC_KAN)]["body"]


def test_a_vanished_crawl_takes_its_articles_along(crawl, tmp_path):
    write_warc(
        crawl / "extra.warc",
        [Response(DIEN_BIEN + "-2", LAO_CAI_PAGE.replace("Lào Cai", "Điện Biên"))],
    )
    build_index([crawl], tmp_path / "ix", jobs=1)
    (crawl / "2024.warc.gz").unlink()
    report = build_index([crawl], tmp_path / "ix", jobs=1)
    assert report.deleted == 3
    assert set(stored(tmp_path / "ix")) == {url_key(DIEN_BIEN + "-2")}


def cut_inside_the_third_response(path: Path) -> None:
    """Cut a .warc.gz inside its third response (of the crawl fixture: Điện Biên)."""
    (source,), _ = discover([path])
    offset = scan_archive(source).captures[2].offset
    path.write_bytes(path.read_bytes()[: offset + 40])


def test_a_truncated_archive_is_a_failure_that_keeps_what_was_read(crawl, tmp_path):
    build_index([crawl], tmp_path / "ix", jobs=1)
    path = crawl / "2024.warc.gz"
    offset = scan(path).captures[2].offset
    cut_inside_the_third_response(path)
    report = build_index([crawl], tmp_path / "ix", jobs=1)
    (failure,) = report.failures
    assert failure.truncated and failure.location == Location(str(path), offset=offset)
    assert (report.deleted, len(stored(tmp_path / "ix"))) == (0, 3)  # the last good version stays

    fresh = build_index([crawl], tmp_path / "fresh", jobs=1)
    assert (fresh.indexed, fresh.failed) == (2, 1)
    assert set(stored(tmp_path / "fresh")) == {url_key(BAC_KAN), url_key(LAO_CAI)}
    assert build_index([crawl], tmp_path / "fresh", jobs=1).failed == 1  # reported every time


def test_a_warc_gzipped_as_a_whole_is_reported(crawl, tmp_path):
    plain = write_warc(tmp_path / "plain.warc", [Response(BAC_KAN, BAC_KAN_PAGE)] * 2)
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain.read_bytes()))
    plain.unlink()
    report = build_index([whole], tmp_path / "ix", jobs=1)
    (failure,) = report.failures
    assert failure.truncated and "warcio recompress" in failure.reason


def test_the_summary_counts_skipped_records(tmp_path, capsys):
    path = write_warc(tmp_path / "a.warc.gz", every_kind_of_record())
    assert main([str(path), "--index", str(tmp_path / "ix"), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "indexed 1, unchanged 0, deleted 0, failed 0, skipped 12 archive records ("
    )
    for reason, count in {**NOT_PAGES, **WARC_ONLY, "same text as another URL": 4}.items():
        assert f"{reason} {count}" in out


def test_manifests_record_the_files_of_each_capture(crawl, tmp_path):
    write_warc(crawl / "2025.warc", [Response(LAO_CAI, LAO_CAI_PAGE, date="2025-01-01T00:00:00Z")])
    build_index([crawl], tmp_path / "ix", jobs=1)
    manifests = read_manifests(index.open_dir(str(tmp_path / "ix")))
    files = {key: sorted(Path(p).name for p in m.sources) for key, m in manifests.items()}
    assert files[url_key(LAO_CAI)] == ["2024.warc.gz", "2025.warc"]
    assert Path(manifests[url_key(LAO_CAI)].source).name == "2025.warc"
