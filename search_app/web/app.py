"""The Flask app factory: settings, the search service, the routes."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from search_app.engine.index_handle import IndexHandle
from search_app.engine.search import ArchiveSearch
from search_app.web import views

# Settings and their defaults; each can be set as FLASK_<NAME> in the environment.
DEFAULT_CONFIG: dict[str, Any] = {
    "INDEX_DIR": "index",  # the folder `python -m indexer` builds
    "PAGE_SIZE": 10,  # results per page
    "FACET_SIZE": 10,  # facet values shown before "Xem thêm"
    "REFRESH_SECONDS": 1.0,  # how often a request checks for a newer index commit
    # Before the first request: True loads the word segmenter and opens the index; "model"
    # only loads the segmenter (a server's master, whose workers open the index after the fork).
    "WARM_UP": True,
}


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then FLASK_* environment variables, then ``test_config``."""
    app = Flask("search_app.web")
    app.json.ensure_ascii = False  # Vietnamese stays readable in /search.json
    app.config.from_mapping(DEFAULT_CONFIG)
    app.config.from_prefixed_env()
    if test_config is not None:
        app.config.from_mapping(test_config)
    handle = IndexHandle(Path(app.config["INDEX_DIR"]), float(app.config["REFRESH_SECONDS"]))
    archive_search = ArchiveSearch(handle, int(app.config["PAGE_SIZE"]))
    app.extensions["archive_search"] = archive_search
    if app.config["WARM_UP"]:
        archive_search.warm_up(index=app.config["WARM_UP"] != "model")
    app.register_blueprint(views.bp)
    return app
