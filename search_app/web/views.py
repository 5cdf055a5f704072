"""Blueprint: /, /search (.json, .csv, .jsonl, .atom), /article/<id>, /document/<number>(.atom).

One data function feeds every format: the page, the JSON, the exports and the feeds read the
same SearchRequest from the same URL parameters.
"""

from __future__ import annotations

from itertools import groupby

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from indexer.metadata.current_provinces import merged_into
from indexer.metadata.docnumbers import KIND_NAMES, find_document_numbers
from indexer.text.vietnamese import fold
from search_app.engine.index_handle import IndexUnavailable
from search_app.engine.search import ArchiveSearch
from search_app.results import DocumentPage, SearchPage, SearchRequest
from search_app.web.chart import year_bars
from search_app.web.drilldown import drilldown
from search_app.web.export import export_response
from search_app.web.feeds import (
    CONTENT_TYPE,
    FeedInfo,
    build_atom,
    newest_hits,
    search_title,
    vndate,
    web_address,
)
from search_app.web.params import (
    BadParameter,
    hidden_fields,
    only_year_url,
    parse_format,
    parse_request,
    province_hint_url,
    search_url,
    toggle_url,
)

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
MACHINE_FORMATS = ("json", "jsonl")  # errors in these formats are answered in JSON


def _archive() -> ArchiveSearch:
    return current_app.extensions["archive_search"]


def _wants_json() -> bool:
    """Whether an error should be answered in JSON: the .json / .jsonl URLs or ?format=."""
    suffix = request.path.rpartition(".")[2]
    return suffix in MACHINE_FORMATS or request.args.get("format") in MACHINE_FORMATS


def _error(status: int, message: str):
    if _wants_json():
        return jsonify(error=message), status
    return render_template("error.html", status=status, message=message), status


bp.add_app_template_filter(vndate, "vndate")


@bp.app_template_filter("vnnumber")
def vnnumber(number: int) -> str:
    """12345 -> '12.345' (Vietnamese thousands separator)."""
    return f"{number:,}".replace(",", ".")


@bp.app_template_filter("now_part_of")
def now_part_of(province: str | None) -> str:
    """'Bắc Kạn' -> 'tỉnh Thái Nguyên': what a province merged in 2025 is part of today; ''
    for one that kept its name, and for none."""
    unit = merged_into(province)
    return unit.written if unit is not None else ""


bp.add_app_template_test(web_address, "web_address")


@bp.app_template_filter("document_kind")
def document_kind(key: str) -> str:
    """'925/2006/QĐ-UBND' -> 'Quyết định · năm 2006 · UBND': what a cited number says."""
    found = find_document_numbers(key)
    if not found:
        return ""
    document = found[0]
    kind = KIND_NAMES.get(document.kind, (document.kind,))[0]
    parts = [kind[:1].upper() + kind[1:], f"năm {document.year}" if document.year else ""]
    return " · ".join(part for part in [*parts, document.issuer] if part)


@bp.after_app_request
def add_security_headers(response: Response) -> Response:
    """Strict CSP and friends on every response."""
    response.headers.update(SECURITY_HEADERS)
    return response


@bp.app_errorhandler(IndexUnavailable)
def index_unavailable(error: IndexUnavailable):
    """503 while there is no index to search."""
    return _error(503, str(error))


@bp.app_errorhandler(BadParameter)
def bad_parameter(error: BadParameter):
    """400 with the reason, for a parameter that cannot be understood."""
    return _error(400, str(error))


@bp.app_errorhandler(404)
def not_found(error):
    """A 404 page in Vietnamese."""
    return _error(404, "Không tìm thấy trang hoặc bài viết này.")


def _feed_url(req: SearchRequest) -> str:
    """The canonical URL of a search's feed: always newest first, so no sort and no page."""
    return search_url(req, "/search.atom", sort="relevance")


def _search_title(req: SearchRequest, page: SearchPage | None = None) -> str:
    """The name of a search, with the labels of its filters: from the page's facets when the
    search has run (they hold every chosen value), else looked up."""
    if page is None:
        labels = _archive().filter_labels(req)
    else:
        chosen = {
            name: {v.value: v.label for v in facet.values if v.selected}
            for name, facet in page.facets.items()
        }
        labels = {
            name: [chosen.get(name, {}).get(v, v) for v in values]
            for name, values in req.filters().items()
            if values
        }
    return search_title(req.q, labels, req.date_from, req.date_to)


def _absolute(path: str) -> str:
    return request.url_root.rstrip("/") + path


def _atom(info: FeedInfo, req: SearchRequest) -> Response:
    return Response(build_atom(info, newest_hits(_archive(), req)), content_type=CONTENT_TYPE)


def _render_search(req: SearchRequest):
    page = _archive().search(req)
    return render_template(
        "search.html",
        req=req,
        page=page,
        feed_url=_feed_url(req),
        feed_title=_search_title(req, page),
        bars=year_bars(page.facets.get("year")),
        drilldown=drilldown,
        search_url=search_url,
        toggle_url=toggle_url,
        only_year_url=only_year_url,
        province_hint_url=province_hint_url,
        facet_size=current_app.config["FACET_SIZE"],
    )


@bp.get("/")
@bp.get("/search")
def search_page():
    """The search page (or ``?format=json|csv|jsonl``); an empty query lists the archive."""
    fmt = parse_format(request.args)
    req = parse_request(request.args)
    typed = (request.args.get("from"), request.args.get("to"))
    if fmt == "html" and typed != (req.date_from or None, req.date_to or None):
        # The form sends empty dates and people type 05/03/2021: link to the plain URL.
        return redirect(search_url(req, page=req.page))
    if fmt == "json":
        return jsonify(_archive().search(req).to_json())
    if fmt in ("csv", "jsonl"):
        return export_response(_archive(), req, fmt)
    return _render_search(req)


@bp.get("/search.json")
def search_json():
    """The same search as JSON."""
    return jsonify(_archive().search(parse_request(request.args)).to_json())


@bp.get("/search.csv")
def search_csv():
    """Every result of the search as CSV."""
    return export_response(_archive(), parse_request(request.args), "csv")


@bp.get("/search.jsonl")
def search_jsonl():
    """Every result of the search as JSON Lines."""
    return export_response(_archive(), parse_request(request.args), "jsonl")


@bp.get("/search.atom")
def search_atom():
    """The newest results of the search as an Atom feed."""
    req = parse_request(request.args)
    info = FeedInfo(
        url=_absolute(_feed_url(req)),
        title=_search_title(req),
        page=_absolute(search_url(req, sort="newest")),
        site=request.url_root,
        committed=_archive().committed(),
        highlight=req.q,
    )
    return _atom(info, req)


@bp.get("/article/<path:article_id>")
def article_page(article_id: str):
    """One article in full, with the query of the search it came from highlighted (or, with
    ``?format=json``, as JSON)."""
    fmt = parse_format(request.args)
    q = request.args.get("q", "")[:2000]
    article = _archive().article(article_id, q)
    if article is None:
        abort(404)
    if fmt == "json":
        return jsonify(article.to_json())
    back = search_url(SearchRequest(q=q)) if q else "/search"
    return render_template("article.html", article=article, q=q, back=back, fold=fold)


def _document(value: str, endpoint: str) -> DocumentPage:
    """The document a URL names; any other spelling of its number (570/QĐ-UBND) is sent on
    to the canonical URL (570/qd-ubnd) of ``endpoint``, an unknown number is a 404."""
    document = _archive().document(value)
    if document is None:
        if fold(value) != value and _archive().document(fold(value)) is not None:
            abort(redirect(url_for(endpoint, value=fold(value)), 301))
        abort(404)
    return document


def _document_title(document: DocumentPage) -> str:
    return f"Văn bản {document.key} – các bài nhắc đến"


@bp.get("/document/<path:value>")
def document_page(value: str):
    """The articles citing a document number, oldest first, by year."""
    document = _document(value, "search.document_page")
    timeline = [
        (year, list(items))
        for year, items in groupby(document.articles, key=lambda a: (a.published or "")[:4])
    ]
    return render_template(
        "document.html",
        document=document,
        timeline=timeline,
        filter_url=search_url(SearchRequest(cited=(document.value,))),
        feed_url=url_for("search.document_atom", value=document.value),
        feed_title=_document_title(document),
    )


@bp.get("/document/<path:value>.atom")
def document_atom(value: str):
    """The newest articles citing a document number as an Atom feed."""
    document = _document(value, "search.document_atom")
    info = FeedInfo(
        url=url_for("search.document_atom", value=document.value, _external=True),
        title=_document_title(document),
        page=url_for("search.document_page", value=document.value, _external=True),
        site=request.url_root,
        committed=_archive().committed(),
        highlight=document.key,
    )
    return _atom(info, SearchRequest(cited=(document.value,)))


@bp.app_context_processor
def form_state():
    """What the search form in every page's header needs."""
    return {"hidden_fields": hidden_fields}
