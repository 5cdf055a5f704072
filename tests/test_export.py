"""Exports of the whole result set: /search.csv, /search.jsonl and /search?format=."""

from __future__ import annotations

import csv
import io
import json

import pytest

from search_app.results import HIT_FIELDS, SearchRequest
from search_app.web.export import csv_cell, export_filename


def download(client, url: str):
    """A finished download: (response, text)."""
    response = client.get(url)
    text = response.get_data(as_text=True)
    response.close()
    return response, text


def chunks(client, url: str) -> list[bytes]:
    """The pieces a response body is sent in."""
    response = client.get(url)
    try:
        assert response.is_streamed
        return list(response.iter_encoded())
    finally:
        response.close()


def test_csv_has_every_result_with_the_api_fields(client, archive_search):
    response, text = download(client, "/search.csv")
    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="ket-qua-tat-ca.csv"'
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    expected = list(archive_search.export(SearchRequest()))
    assert len(rows) == len(expected) == archive_search.search(SearchRequest()).total
    assert len(rows) > archive_search.page_size  # the whole result set, not one page
    assert tuple(rows[0]) == HIT_FIELDS
    for row, hit in zip(rows, expected, strict=True):
        assert row["id"] == hit.id and row["title"] == csv_cell(hit.title)
        assert row["topics"] == "; ".join(hit.topics)
        assert row["url"] == (hit.url or "") and row["published"] == (hit.published or "")


def test_jsonl_is_one_hit_per_line_in_order(client, archive_search):
    response, text = download(client, "/search.jsonl?q=bac+kan")
    assert response.status_code == 200
    assert response.content_type == "application/x-ndjson; charset=utf-8"
    assert 'filename="ket-qua-bac-kan.jsonl"' in response.headers["Content-Disposition"]
    assert "Bắc Kạn" in text  # not \\u escapes
    lines = [json.loads(line) for line in text.splitlines()]
    expected = [hit.to_json() for hit in archive_search.export(SearchRequest(q="bac kan"))]
    assert lines == expected
    # Near-duplicates are not grouped in an export: both seeds are rows of their own.
    ids = [line["id"] for line in lines]
    assert {"seeds/000_b31f338fe211c5e8.txt", "seeds/002_a9241768a893bb1d.txt"} <= set(ids)


def test_exports_are_streamed(client):
    pieces = chunks(client, "/search.csv")
    assert len(pieces) >= 2 and pieces[0].decode("utf-8-sig").count("\n") == 1  # the header
    assert len(chunks(client, "/search.jsonl?q=bac+kan")) >= 1


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_format_parameter_gives_the_same_file(client, fmt):
    query = "q=th%C3%B4ng+tin&province=bac-kan&sort=newest&from=2020"
    _, by_suffix = download(client, f"/search.{fmt}?{query}")
    response, by_format = download(client, f"/search?{query}&format={fmt}")
    assert by_format == by_suffix and by_format.count("\n") >= 3
    assert response.headers["Content-Disposition"].endswith(f'.{fmt}"')


def test_filters_apply_to_the_export(client):
    _, text = download(client, "/search.jsonl?year=2021&cited=570/qd-ubnd")
    assert text == ""
    _, text = download(client, "/search.jsonl?province=bac-kan&year=2023")
    assert [json.loads(line)["published"][:4] for line in text.splitlines()] == ["2023"]


@pytest.mark.parametrize(
    ("path", "json_error"),
    [
        ("/search.csv?page=x", False),
        ("/search.csv?from=2021-13", False),
        ("/search.jsonl?sort=oldest", True),
        ("/search?format=jsonl&to=soon", True),
        ("/search?format=csv&from=2022&to=2021", False),
    ],
)
def test_bad_parameters_are_400(client, path, json_error):
    response = client.get(path)
    assert response.status_code == 400
    if json_error:
        assert response.get_json()["error"]
    else:
        assert "Yêu cầu không hợp lệ" in response.get_data(as_text=True)


def test_the_results_page_links_to_both_exports(client):
    page = client.get("/search?q=bac+kan&year=2020&page=1").get_data(as_text=True)
    assert 'href="/search.csv?q=bac+kan&amp;year=2020" download>CSV</a>' in page
    assert 'href="/search.jsonl?q=bac+kan&amp;year=2020" download>JSON Lines</a>' in page


def test_export_without_an_index_is_503(tmp_path):
    from search_app import create_app

    app = create_app({"INDEX_DIR": str(tmp_path / "none")})
    assert app.test_client().get("/search.csv").status_code == 503
    assert app.test_client().get("/search.jsonl").get_json()["error"]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (None, ""),
        (["Chuyển đổi số", "Báo chí"], "Chuyển đổi số; Báo chí"),
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+84 912", "'+84 912"),
        ("@x", "'@x"),
        ("Bắc Kạn", "Bắc Kạn"),
    ],
)
def test_csv_cells(value, cell):
    assert csv_cell(value) == cell


def test_filenames_are_ascii():
    assert export_filename(SearchRequest(q="Chuyển đổi số 570/QĐ"), "csv") == (
        "ket-qua-chuyen-doi-so-570-qd.csv"
    )
    assert export_filename(SearchRequest(q='"" -'), "jsonl") == "ket-qua-tat-ca.jsonl"
    assert len(export_filename(SearchRequest(q="dài " * 100), "csv")) < 80


def test_a_download_stopped_halfway_lets_go_of_the_index(client, archive_search):
    with archive_search.handle.current() as state:
        before = state.users
    response = client.get("/search.csv")
    next(response.iter_encoded())  # the client reads the header, then goes away
    with archive_search.handle.current() as state:
        assert state.users == before + 1
    response.close()
    with archive_search.handle.current() as state:
        assert state.users == before


def test_an_export_can_stop_at_a_limit(archive_search):
    request = SearchRequest(q="thông tin")
    every = [hit.id for hit in archive_search.export(request)]
    assert len(every) > 3
    assert [hit.id for hit in archive_search.export(request, limit=3)] == every[:3]
    assert [hit.id for hit in archive_search.export(request, limit=10**6)] == every
