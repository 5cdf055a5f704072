"""What a piece of text says about an article: dates, provinces, sites, topics, documents.

In: lines, titles, host names, bodies (normalized text). Out: a ``YYYY-MM-DD`` date
(``dates``), one of the 63 provinces and the names text gives them (``gazetteer``), the
province publishing a site (``sites``), topics from the taxonomy (``topics``), the legal
document numbers cited (``docnumbers``). Reads its curated data from ``indexer/data/``;
imports only ``indexer.text``.
"""
