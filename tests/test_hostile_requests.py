"""Hostile queries and parameters against the real app: never a 500, always a clear answer."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search_app.query.language import MAX_QUERY_CHARS

ROOT = Path(__file__).resolve().parent.parent

# Pieces of query syntax, ours and other engines', glued together at random.
SYNTAX = st.sampled_from(
    ['"', "(", ")", "-", "OR", "AND", "NOT", "|", "*", "?", "~2", "^3", ":", "title:", "\\",
     "570/QĐ-UBND", "QĐ 570", "quyết định số", "UBND", "chuyeenr", "d9o6i3", "Bắc Kạn",
     "bac kan", "%", "&", "<script>", "\x00", "\u0301", "\u200b", "\ufeff", "\ud7ff", " "]
)  # fmt: skip
QUERIES = st.one_of(
    st.text(max_size=200),
    st.lists(SYNTAX, max_size=40).map("".join),
    st.lists(st.one_of(SYNTAX, st.text(max_size=5)), max_size=30).map(" ".join),
)
PARAMS = st.sampled_from(
    ["province", "year", "month", "topic", "cited", "from", "to", "sort", "page", "format",
     "verbatim", "q", "unknown"]
)  # fmt: skip


def _check_json(response) -> dict:
    assert response.status_code in (200, 400), response.status_code
    assert response.mimetype == "application/json"
    return json.loads(response.get_data(as_text=True))


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=QUERIES)
def test_any_query_gets_valid_json(client, query):
    data = _check_json(client.get("/search.json", query_string={"q": query}))
    assert isinstance(data["hits"], list) and data["total"] >= 0
    assert all(isinstance(n, str) for n in data["notices"])


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pairs=st.lists(st.tuples(PARAMS, st.text(max_size=30)), max_size=8))
def test_any_parameters_get_a_page_or_a_400(client, pairs):
    response = client.get("/search.json", query_string=pairs)
    data = _check_json(response)
    if response.status_code == 400:
        assert data["error"]
    html = client.get("/search", query_string=pairs)
    assert html.status_code in (200, 302, 400)  # 302: dates typed in the form, to the plain URL
    if html.status_code == 302:
        assert html.headers["Location"].startswith("/search")
    else:
        assert html.mimetype == "text/html"


def test_a_10000_character_query_is_cut_with_a_notice(client):
    query = " ".join(["chuyển đổi số", "Bắc Kạn", "(a OR b)", '"x y"'] * 500)[:10_000]
    data = _check_json(client.get("/search.json", query_string={"q": query}))
    assert any(str(MAX_QUERY_CHARS) in notice for notice in data["notices"])


def test_control_characters_and_lone_surrogates_are_dropped(client):
    for query in ("\x00\x01\x1b[31m", "abc\udc80", "\u202e\u200b"):
        response = client.get(
            "/search.json", query_string={"q": query.encode("utf-8", "surrogatepass")}
        )
        _check_json(response)


def test_wildcards_are_answered_with_a_notice(client):
    data = _check_json(client.get("/search.json?q=*ng"))
    assert any("ký tự đại diện" in notice for notice in data["notices"])


def test_repeated_and_huge_pages_are_clamped(client):
    last = _check_json(client.get("/search.json?q=thông+tin&page=1000000000"))
    assert last["page"] == last["pages"]
    first = _check_json(client.get("/search.json?q=thông+tin&page=-5"))
    assert first["page"] == 1
    twice = _check_json(client.get("/search.json?q=thông+tin&page=2&page=3"))
    assert twice["page"] == 2  # the first of repeated single-valued parameters


def test_unknown_facet_values_give_no_results_not_an_error(client):
    data = _check_json(client.get("/search.json?province=atlantis&year=1066&topic=%3Cx%3E"))
    assert data["total"] == 0


def test_script_in_the_query_is_text_everywhere(client):
    query = '<script>alert(1)</script> "onmouseover=alert(1) chuyen doi so'
    page = client.get("/search", query_string={"q": query}).get_data(as_text=True)
    assert "<script>alert" not in page and '"onmouseover' not in page
    for url in ("/search.csv", "/search.jsonl"):
        response = client.get(url, query_string={"q": query})
        assert response.status_code == 200
        response.close()
    article = client.get(
        "/article/seeds/000_b31f338fe211c5e8.txt", query_string={"q": query}
    ).get_data(as_text=True)
    assert "<script>alert" not in article


def test_no_server_banner(client):
    response = client.get("/search")
    assert "Server" not in response.headers or "Werkzeug" not in response.headers["Server"]


def test_gunicorn_as_configured_passes_long_queries_to_the_app(index_dir, tmp_path):
    """The production server (gunicorn with the repository's gunicorn.conf.py): a 10,000-
    character Vietnamese query, 30 kB once percent-encoded, gets the app's JSON, not a 400 of
    gunicorn's own, and no version banner."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
               "search_app:create_app()"]  # fmt: skip
    env = {**os.environ, "FLASK_INDEX_DIR": str(index_dir), "FLASK_WARM_UP": "false"}
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        query = ("chuyển đổi số tỉnh Bắc Kạn " * 400)[:10_000]
        path = "/search.json?" + urlencode({"q": query})
        assert len(path) > 25_000
        for _ in range(300):  # until it listens
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                connection.request("GET", path)
                break
            except ConnectionRefusedError:
                time.sleep(0.1)
        response = connection.getresponse()
        data = json.loads(response.read())
        assert response.status == 200
        assert data["total"] > 0 and any("2000" in notice for notice in data["notices"])
        assert response.getheader("Server") == "gunicorn"  # no version
        connection.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_only_web_addresses_become_links(tmp_path):
    from indexer.build.builder import build_index
    from search_app import create_app

    record = {
        "id": "js-url",
        "url": "javascript:alert(1)",
        "title": "Cảnh báo lừa đảo qua mạng",
        "published": "2024-01-05",
        "body": "Người dân cần cảnh giác với các đường dẫn lạ gửi qua tin nhắn và mạng xã hội.",
    }
    (tmp_path / "a.jsonl").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    build_index([tmp_path / "a.jsonl"], tmp_path / "ix", jobs=1)
    app = create_app({"INDEX_DIR": str(tmp_path / "ix"), "TESTING": True, "WARM_UP": False})
    try:
        client = app.test_client()
        pages = [
            client.get(url).get_data(as_text=True)
            for url in ("/article/js-url", "/search?q=lua+dao")
        ]
    finally:
        app.extensions["archive_search"].handle.close()
    for page in pages:
        assert 'href="javascript:' not in page
    assert "javascript:alert(1)" in pages[0]  # shown, as text


def test_markup_in_every_field_is_text_everywhere(tmp_path):
    from indexer.build.builder import build_index
    from search_app import create_app

    evil = '<script>alert(1)</script>"onmouseover=alert(1) x="'
    record = {
        "id": "evil",
        "url": "https://example.gov.vn/" + evil,
        "title": f"Cảnh báo {evil} lừa đảo",
        "published": "2024-01-05",
        "source": evil,
        "author": evil,
        "topics": [evil, "An toàn thông tin"],
        "body": f"Người dân cần cảnh giác {evil} với các đường dẫn lạ, Quyết định số 570/QĐ-UBND.",
    }
    (tmp_path / "a.jsonl").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    build_index([tmp_path / "a.jsonl"], tmp_path / "ix", jobs=1)
    app = create_app({"INDEX_DIR": str(tmp_path / "ix"), "TESTING": True, "WARM_UP": False})
    urls = [
        "/search?q=canh+bao",  # results, snippets, facet labels
        "/search?q=canh+bao+" + evil,  # the query itself, notices
        "/search?q=lua+daoo+" + evil,  # a suggestion
        "/article/evil?q=" + evil,
        "/document/570/qd-ubnd",
    ]
    try:
        client = app.test_client()
        pages = {url: client.get(url) for url in urls}
    finally:
        app.extensions["archive_search"].handle.close()
    for url, response in pages.items():
        page = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert "<script>alert" not in page and '"onmouseover' not in page, url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[urls[0]].get_data(as_text=True)
