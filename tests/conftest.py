"""Shared fixtures: a real index of the seeds plus our own fixture archive, built once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.build.builder import build_index
from search_app import create_app

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "archive"
FIXTURES = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def fixture_archive(tmp_path_factory) -> Path:
    """A copy of the seeds and the fixture pages and exports, in one archive folder."""
    archive = tmp_path_factory.mktemp("archive")
    shutil.copytree(SEEDS, archive / "seeds")
    shutil.copytree(FIXTURES / "archive", archive / "fixtures")
    if (FIXTURES / "pages").is_dir():
        shutil.copytree(FIXTURES / "pages", archive / "pages")
    return archive


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory, fixture_archive) -> Path:
    """A real Whoosh index of the fixture archive."""
    target = tmp_path_factory.mktemp("index")
    report = build_index([fixture_archive], target, jobs=2)
    assert report.failed == 0, report.failures
    return target


@pytest.fixture(scope="session")
def app(index_dir):
    """The Flask app searching the fixture index."""
    app = create_app({"INDEX_DIR": str(index_dir), "TESTING": True})
    yield app
    app.extensions["archive_search"].handle.close()


@pytest.fixture(scope="session")
def seeds_app(tmp_path_factory):
    """The Flask app searching an index of the five seed pages alone (``archive/``), as
    ``make run`` builds it."""
    target = tmp_path_factory.mktemp("seeds-index")
    report = build_index([SEEDS], target, jobs=1)
    assert report.failed == 0, report.failures
    app = create_app({"INDEX_DIR": str(target), "TESTING": True})
    yield app
    app.extensions["archive_search"].handle.close()


@pytest.fixture
def client(app):
    """A Flask test client."""
    return app.test_client()


@pytest.fixture(scope="session")
def archive_search(app):
    """The search service the views call."""
    return app.extensions["archive_search"]
