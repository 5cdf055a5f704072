"""The web layer: HTTP in, HTML, JSON, CSV and JSON Lines out.

``app`` is the Flask factory; ``views`` the routes; ``params`` turns URL parameters into a
``SearchRequest`` and back into URLs; ``export`` streams whole result sets; ``chart`` draws
the per-year bars. Templates and static files are beside them. The only package (with the
factory) that imports Flask.
"""
