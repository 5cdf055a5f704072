"""The build: paths in, a committed Whoosh index out.

``cli`` is ``python -m indexer``; ``builder`` runs a build: ``plan`` and ``warcplan`` decide
what changed, ``parallel`` workers extract (``indexer.pages``), segment and turn each
``Article`` into an index document (``schema``) in segments of their own, which the parent
commits in one step (or, with a Dask scheduler, ``cluster`` sends chunks to the workers'
``remote`` tasks and writes back the segments they return); ``stats`` counts what happened
and ``preview`` is ``--dry-run``.
The top stage: it may import every other part of ``indexer``.
"""
