"""A Doc's Token objects, made once and shared by the stages.

spaCy makes a new Token object on every `doc[i]`, on every pass of `for t in doc`
and on every `.head`; the extraction stages walked the same Doc a few hundred times
per article. The stages that walk a whole Doc, or index it per token, take its
tokens from here instead.
"""

from __future__ import annotations

from spacy.attrs import HEAD
from spacy.tokens import Doc, Token

# The last Doc asked for and its tokens: build_record works on one Doc at a time, so
# one slot is enough, and no reference cycle keeps a Doc alive (a list in
# doc.user_data would: Token -> Doc -> user_data -> Token).
_last: tuple[Doc | None, list[Token]] = (None, [])


def tokens(doc: Doc) -> list[Token]:
    """doc's tokens in order, as `list(doc)`; the same list while `doc` is the last
    Doc asked for. Read only: the list is shared."""
    global _last
    last, toks = _last  # one read: another thread may replace the slot
    if last is not doc or len(toks) != len(doc):
        toks = list(doc)
        _last = (doc, toks)
    return toks


def heads(doc: Doc) -> list[int]:
    """Each token's head's index, as `[t.head.i for t in doc]`, read off the Doc's
    arrays (where HEAD is relative and unsigned) without making a Token for any head."""
    return [i + h for i, h in enumerate(doc.to_array(HEAD).astype("int64").tolist())]
