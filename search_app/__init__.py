"""Faceted, highlighted search over the archive index.

The stages, in the order a search flows through them (``docs/architecture.md``): ``query``
(the text typed -> a parsed query, repaired), ``engine`` (parsed query + index -> a page of
results; no Flask), ``web`` (HTTP -> ``SearchRequest``, ``SearchPage`` -> HTML, JSON, CSV).
``results`` holds the records the engine answers with. Start reading at
``engine/search.py``.

``create_app`` is the Flask app factory (``gunicorn 'search_app:create_app()'``,
``flask --app search_app run``). Flask is imported when it is called, not before, so that a
script, a benchmark or a worker can use the engine without it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """The Flask app (see ``search_app.web.app``)."""
    from search_app.web.app import create_app as create_web_app

    return create_web_app(test_config)
