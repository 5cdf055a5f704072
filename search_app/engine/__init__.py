"""The search engine: a ``SearchRequest`` in, a ``SearchPage`` out; no Flask.

``search.ArchiveSearch`` is the entry point. It reads the query (``search_app.query``),
matches and ranks it in numpy (``matching``) over posting arrays (``postings``) and every
article's syllable codes (``forward``), decides what it returns and counts (``selection``:
the articles holding every word, then the near matches), filters and counts facets
(``facets``, ``facet_counts``), groups near-duplicates (``duplicates``) and highlights
(``snippets``).
``index_handle`` keeps one commit of the index per process, its arrays mapped
(``indexer.arrays``); ``lexicon`` reads the archive's vocabulary.
"""
