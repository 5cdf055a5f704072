"""What a page says about its article: ``RawRecord`` in, ``Article`` out.

Text scrapes (``textpage``) and HTML pages (``htmlpage``, with ``htmltree`` for what goes and
where the article is and ``htmlmeta`` for title, kicker, date and author) become a ``Page``;
``extract`` applies a record's own fields, then finds the province and topics with
``indexer.metadata``. Imports ``records``, ``text``, ``metadata`` and ``inputs``.
"""
