"""Corpus stores: SQLite (embedded default) and PostgreSQL behind one protocol."""
