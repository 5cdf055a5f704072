"""The Flask app through its test client: HTML and JSON of the same searches."""

from __future__ import annotations

import pytest

from search_app import create_app

HIT_KEYS = {"id", "title", "url", "published", "province", "topics", "snippet"}


def test_json_shape(client):
    data = client.get("/search.json?q=chuyen+doi+so").get_json()
    assert set(data) >= {"query", "total", "page", "pages", "hits", "facets"}
    assert data["query"] == "chuyen doi so" and data["total"] >= 3 and data["page"] == 1
    assert all(set(hit) == HIT_KEYS | {"similar"} for hit in data["hits"])
    assert set(data["facets"]) == {"province", "year", "month", "topic", "cited"}
    for values in data["facets"].values():
        for value in values:
            assert set(value) == {"value", "label", "count", "selected"}


def test_html_and_json_agree(client):
    data = client.get("/search.json?q=bac+kan&sort=newest").get_json()
    page = client.get("/search?q=bac+kan&sort=newest").get_data(as_text=True)
    assert f"<strong>{data['total']}</strong>" in page
    for hit in data["hits"]:
        assert hit["snippet"] in page


def test_facet_link_filters_and_keeps_the_query(client):
    page = client.get("/search?q=th%C3%B4ng+tin").get_data(as_text=True)
    assert 'href="/search?q=th%C3%B4ng+tin&amp;province=bac-kan"' in page
    data = client.get("/search.json?q=thông+tin&province=bac-kan").get_json()
    assert data["hits"] and all(hit["province"] == "Bắc Kạn" for hit in data["hits"])
    chosen = [v for v in data["facets"]["province"] if v["selected"]]
    assert [v["value"] for v in chosen] == ["bac-kan"]


def test_script_in_a_title_is_shown_as_text(client):
    page = client.get("/search?q=lừa+đảo").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    article = client.get("/article/fx-script?q=lừa đảo").get_data(as_text=True)
    assert "<script>" not in article and "<b>ngân hàng</b>" not in article
    assert "&lt;b&gt;ngân hàng&lt;/b&gt;" in article
    assert '"onmouseover' not in article.replace("&#34;", "").replace("&quot;onmouseover", "")
    data = client.get("/search.json?q=lừa+đảo").get_json()
    assert data["hits"][0]["title"].startswith("<script>")


def test_article_page(client):
    response = client.get("/article/seeds/000_b31f338fe211c5e8.txt?q=570/QĐ-UBND")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>Chức năng nhiệm vụ</h1>" in page
    assert "<mark>570/QĐ-UBND</mark>" in page
    assert "08/05/2020" in page and "Bắc Kạn" in page


@pytest.mark.parametrize(
    "path", ["/article/nope", "/article/../../etc/passwd", "/article/%2e%2e%2fetc%2fpasswd"]
)
def test_unknown_articles_are_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("page=abc", 400),
        ("sort=oldest", 400),
        ("page=-1", 200),
        ("page=1000000000000", 200),
        ("province=nowhere", 200),
        ("q=%22unclosed", 200),
        ("q=OR", 200),
        ("q=" + "x" * 5000, 200),
    ],
)
def test_bad_parameters(client, query, status):
    for path in ("/search", "/search.json"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == status
        if path.endswith(".json") and status == 400:
            assert "sort" in response.get_json()["error"] or "page" in response.get_json()["error"]


def test_security_headers(client):
    headers = client.get("/search").headers
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_empty_query_browses_the_archive(client):
    data = client.get("/search.json").get_json()
    assert data["total"] >= 15 and data["pages"] >= 2
    assert client.get("/").status_code == 200


def test_without_an_index_the_app_says_so(tmp_path):
    client = create_app({"INDEX_DIR": str(tmp_path / "none")}).test_client()
    response = client.get("/search?q=x")
    assert response.status_code == 503
    assert "python -m indexer" in response.get_data(as_text=True)
    assert client.get("/search.json").status_code == 503


def test_an_index_of_an_older_format_is_reported_not_searched(tmp_path):
    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema

    index.create_in(str(tmp_path), Schema(id=ID(stored=True), body=TEXT))
    client = create_app({"INDEX_DIR": str(tmp_path)}).test_client()
    response = client.get("/search.json?q=x")
    assert response.status_code == 503
    assert "--rebuild" in response.get_json()["error"]


def test_new_articles_are_served_after_a_build_without_a_restart(tmp_path):
    import json
    import time

    from indexer.build import build_index

    archive = tmp_path / "archive"
    archive.mkdir()
    record = {"id": "one", "title": "Hội nghị chuyển đổi số", "body": "Nội dung thứ nhất."}
    (archive / "a.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n")
    build_index([archive], tmp_path / "ix", jobs=1)
    app = create_app({"INDEX_DIR": str(tmp_path / "ix"), "REFRESH_SECONDS": 0})
    client = app.test_client()
    assert client.get("/search.json?q=hoi+nghi").get_json()["total"] == 1
    second = {"id": "two", "title": "Hội nghị an toàn thông tin", "body": "Nội dung thứ hai."}
    with (archive / "a.jsonl").open("a", encoding="utf-8") as stream:
        stream.write(json.dumps(second, ensure_ascii=False) + "\n")
    build_index([archive], tmp_path / "ix", jobs=1)
    handle = app.extensions["archive_search"].handle
    total = 0
    for _ in range(50):  # the first request after the commit starts loading it
        total = client.get("/search.json?q=hoi+nghi").get_json()["total"]
        if total == 2:
            break
        handle.wait_for_refresh()
        time.sleep(0.05)
    assert total == 2
    handle.close()
