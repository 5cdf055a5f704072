"""The web layer: HTTP in, HTML, JSON, CSV, JSON Lines and Atom out.

``app`` is the Flask factory; ``views`` the routes; ``params`` turns URL parameters into a
``SearchRequest`` and back into URLs; ``export`` streams whole result sets; ``feeds`` writes
the newest results as Atom feeds; ``chart`` draws the per-year bars; ``drilldown`` lists the
values under a chosen one. Templates and static files are beside them. The only package (with
the factory) that imports Flask.
"""
