"""Turn an archive of provincial ICT news pages into a Vietnamese-aware Whoosh index.

The stages, in the order data flows through them (``docs/architecture.md``):
``inputs`` (files -> RawRecord), ``pages`` (RawRecord -> Article), ``build`` (Article ->
index document -> the index). ``metadata`` (dates, provinces, sites, topics, document numbers)
and ``text`` (the Vietnamese text layer) are what the stages read text with; ``records``
holds the records that cross them. Start reading at ``build/builder.py``.
"""
