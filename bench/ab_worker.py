"""One side of bench/ab.py: a checkout's engine answering JSON queries on stdin.

    python bench/ab_worker.py TREE INDEX_DIR

Imports only from TREE (``search_app.create_app`` and ``search_app.results.SearchRequest``,
which every checkout since issue 4 has), so that it runs any checkout's engine. Prints one
JSON line when ready, then one per query: milliseconds, the ids of the page (near-duplicates
after their hit), the total, the facet counts and the snippets.
"""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    """Answer queries until stdin ends."""
    tree, index_dir = sys.argv[1], sys.argv[2]
    sys.path[0] = tree  # this file's folder would shadow nothing, but the tree must win
    import search_app
    from search_app import create_app
    from search_app.results import SearchRequest

    app = create_app({"INDEX_DIR": index_dir})
    service = app.extensions["archive_search"]
    print(json.dumps({"ready": search_app.__file__}), flush=True)
    for line in sys.stdin:
        query = json.loads(line)
        request = SearchRequest(
            q=query["q"], province=query["province"], year=query["year"], topic=query["topic"]
        )
        started = time.perf_counter()
        page = service.search(request)
        ms = (time.perf_counter() - started) * 1000
        answer = {
            "ms": ms,
            "ids": [i for hit in page.hits for i in (hit.id, *(s.id for s in hit.similar))],
            "total": page.total,
            "facets": {n: [(v.value, v.count) for v in f.values] for n, f in page.facets.items()},
            "snippets": [hit.snippet for hit in page.hits],
        }
        print(json.dumps(answer), flush=True)
    service.handle.close()


if __name__ == "__main__":
    main()
