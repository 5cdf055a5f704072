"""The arrays a searcher reads in bulk, derived from an index commit: index in, arrays out.

At each commit the indexer derives them from the commit's segments and writes them beside
the segments, before the commit becomes visible (``derive``): live documents, dates and the
newest-first order, facet values and their documents, every article's syllable codes with
a position index, near-duplicate signatures, field lengths. Searchers map the files
(``store``), so the workers of a server share one copy in the page cache. ``whoosh_segments``
is the one module that reads Whoosh's private segment structures. Imports ``indexer.text``.
"""
