"""`wirescope serve`: the JSON API and HTML reader over a store (needs the `web` extra)."""
