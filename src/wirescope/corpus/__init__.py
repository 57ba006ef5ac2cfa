"""Across articles: quotations (provenance); people identity lives in store/people.py."""
