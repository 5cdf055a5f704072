"""Reading the archive: files in, ``RawRecord`` out.

Walks folders (``sources``): text scrapes, HTML pages, JSON Lines exports and their sidecars,
and web archives (``warc``); decodes bytes whatever their charset or legacy font
(``encodings``, ``legacy_encodings``, ``legacy_html``); caps what is read (``limits``). A bad
input becomes a ``Failure`` with its location, never an exception that stops the walk.
Imports ``indexer.records`` and ``indexer.text``.
"""
