"""Scoring against gold annotations: quotes and speakers (quotes.py)."""
