"""Scoring against gold annotations: quotes and speakers (quotes.py), dates (dates.py),
places (places.py). `wirescope evaluate` picks one by the gold file's fields
(cli/main.py EVALUATORS)."""
