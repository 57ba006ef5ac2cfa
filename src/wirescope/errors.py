"""The errors wirescope raises on purpose: each is worth a one-line message (the
CLI prints it and exits non-zero), never a traceback."""

from __future__ import annotations


class WirescopeError(Exception):
    """Base of every error wirescope raises for bad input or a missing resource."""


class ExtractError(WirescopeError, ValueError):
    """An article the pipeline could not make a record of (process_one)."""


class StoreError(WirescopeError):
    """A corpus store cannot be used: no such database, a bad URL, no connection."""


class QueryError(WirescopeError):
    """A query that cannot be answered as asked: a bad date, an unknown or ambiguous id."""


class ExportError(WirescopeError):
    """An export that cannot be written: an unknown format, an output that is a file."""


class GoldFormatError(WirescopeError, ValueError):
    """A gold file line that is not a valid article."""


class ModelMissingError(WirescopeError, RuntimeError):
    """The spaCy model package is not installed."""


class ReadFailure(WirescopeError):
    """A source that is not honest text (its reason becomes the file's ReadError)."""


class TooManyQuoteMarks(ExtractError):
    """An article with more quotation marks than the quote finder's cap."""


class ArticleTimeout(ExtractError):
    """An article's extraction ran past its time budget."""
