"""The web front end's routers, one per kind of page; web/app.py puts them together."""
