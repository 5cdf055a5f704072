"""gunicorn settings, read from the working directory by `make run` and the benchmarks."""

import gc
import os

# A search URL carries the query: up to 8,000 characters, which percent-encoded Vietnamese
# makes 25 to 72 kB. gunicorn's default (4,094 bytes) would answer long queries with its own
# 400 page; the app cuts them itself, with a notice.
limit_request_line = 0  # no limit on the request line
limit_request_field_size = 16384

# The app is made once, in the master, with the word segmenter's model loaded there: the
# workers forked from it share those pages instead of loading a copy each. The index is
# opened by each worker after the fork (Whoosh's open files cannot be shared).
preload_app = True
os.environ.setdefault("FLASK_WARM_UP", '"model"')


def post_worker_init(worker):
    """Open the index in the worker before it takes its first request."""
    app = worker.wsgi
    if app.config.get("WARM_UP"):
        app.extensions["archive_search"].warm_up()


def pre_fork(server, worker):
    """Hide the master's objects from the workers' garbage collector: a collection writes to
    every object it visits, which would copy the shared pages into each worker."""
    gc.freeze()
