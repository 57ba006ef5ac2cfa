"""Extraction stages: each a pure function over an Article and its spaCy Doc."""
