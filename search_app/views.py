"""Blueprint: /, /search, /search.json, /article/<id>. One data function feeds HTML and JSON."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request
from werkzeug.datastructures import MultiDict

from search_app.index_handle import IndexUnavailable
from search_app.results import SORTS, SearchPage, SearchRequest
from search_app.search import ArchiveSearch

bp = Blueprint("search", __name__)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class BadRequest(Exception):
    """A search parameter that cannot be understood; shown to the user with status 400."""


def _archive() -> ArchiveSearch:
    return current_app.extensions["archive_search"]


def parse_request(args: MultiDict) -> SearchRequest:
    """Read a SearchRequest from URL parameters; raises BadRequest with a message."""
    page_text = args.get("page", "1").strip() or "1"
    try:
        page = int(page_text)
    except ValueError:
        raise BadRequest(f"Tham số page phải là số nguyên, không phải {page_text!r}.") from None
    sort = args.get("sort", "relevance") or "relevance"
    if sort not in SORTS:
        raise BadRequest(f"Tham số sort chỉ nhận {' hoặc '.join(SORTS)}.")
    return SearchRequest(
        q=args.get("q", "")[:2000],
        province=tuple(dict.fromkeys(v for v in args.getlist("province") if v)),
        year=tuple(dict.fromkeys(v for v in args.getlist("year") if v)),
        topic=tuple(dict.fromkeys(v for v in args.getlist("topic") if v)),
        sort=sort,
        page=max(1, min(page, 10**6)),
    )


def search_url(req: SearchRequest, endpoint: str = "/search", **changes: object) -> str:
    """The URL of a search like ``req`` with some parameters changed (page resets to 1)."""
    state = {
        "q": req.q,
        "province": list(req.province),
        "year": list(req.year),
        "topic": list(req.topic),
        "sort": req.sort,
        "page": 1,
    }
    state.update(changes)
    pairs = []
    for key, value in state.items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if item in ("", None) or (key == "sort" and item == "relevance"):
                continue
            if key == "page" and item == 1:
                continue
            pairs.append((key, item))
    return endpoint + ("?" + urlencode(pairs) if pairs else "")


def toggle_url(req: SearchRequest, facet: str, value: str) -> str:
    """The URL that selects a facet value, or unselects it when it is selected."""
    current = list(getattr(req, facet))
    chosen = [v for v in current if v != value] if value in current else [*current, value]
    return search_url(req, **{facet: chosen})


@bp.app_template_filter("vndate")
def vndate(published: str) -> str:
    """'2021-01-26' -> '26/01/2021'; partial dates keep what is known."""
    return "/".join(reversed(published.split("-")))


@bp.after_app_request
def add_security_headers(response: Response) -> Response:
    """Strict CSP and friends on every response."""
    response.headers.update(SECURITY_HEADERS)
    return response


@bp.app_errorhandler(IndexUnavailable)
def index_unavailable(error: IndexUnavailable):
    """503 while there is no index to search."""
    if request.path.endswith(".json"):
        return jsonify(error=str(error)), 503
    return render_template("error.html", status=503, message=str(error)), 503


@bp.app_errorhandler(404)
def not_found(error):
    """A 404 page in Vietnamese."""
    message = "Không tìm thấy trang hoặc bài viết này."
    if request.path.endswith(".json"):
        return jsonify(error=message), 404
    return render_template("error.html", status=404, message=message), 404


def _run_search() -> tuple[SearchRequest | None, SearchPage | None, str | None]:
    try:
        req = parse_request(request.args)
    except BadRequest as error:
        return None, None, str(error)
    return req, _archive().search(req), None


@bp.get("/")
@bp.get("/search")
def search_page():
    """The search page; an empty query lists the whole archive, newest first."""
    req, page, error = _run_search()
    if error:
        return render_template("error.html", status=400, message=error), 400
    return render_template(
        "search.html",
        req=req,
        page=page,
        search_url=search_url,
        toggle_url=toggle_url,
        facet_size=current_app.config["FACET_SIZE"],
    )


@bp.get("/search.json")
def search_json():
    """The same search as JSON."""
    _req, page, error = _run_search()
    if error:
        return jsonify(error=error), 400
    return jsonify(page.to_json())


@bp.get("/article/<path:article_id>")
def article_page(article_id: str):
    """One article in full, with the query of the search it came from highlighted."""
    q = request.args.get("q", "")[:2000]
    article = _archive().article(article_id, q)
    if article is None:
        abort(404)
    back = search_url(SearchRequest(q=q)) if q else "/search"
    return render_template("article.html", article=article, q=q, back=back)
