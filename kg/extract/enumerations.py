"""Lists of participants: a sentence that names a role for everyone it lists ("Speakers
included A, B and C", "Among the guests were A and B", "Panelists: A (X), B (Y)", "The panel
featured A and B"), and bulleted lines under such a heading ("Speakers at the session:").

:func:`list_role` reads one sentence and says which role its list gives and where the list
begins; :mod:`.roles` gives that role to the people listed after that point, unless a verb of
their own says more ("moderated by C")."""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from ..model import Role


@dataclass(frozen=True)
class Listed:
    """The role a list gives and the token where the list begins."""

    role: Role
    start: int


def list_role(doc: Doc, start: int, end: int, words: dict) -> Listed | None:
    """The role a sentence's list of names gives, if the sentence is one: a role noun as the
    subject of "include", "be", "feature" ("Speakers included ..."), after "among" ("Among the
    guests were ..."), or before a colon ("Panelists: ...")."""
    nouns, verbs = words["role_nouns"], set(words["list_verbs"])
    for tok in doc[start:end]:
        low = tok.lower_
        if low not in nouns or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        role = Role(nouns[low])
        nxt = doc[tok.i + 1] if tok.i + 1 < end else None
        if nxt is not None and nxt.text == ":":
            return Listed(role, tok.i + 2)  # "Panelists: A (X), B (Y)"
        head = tok.head
        if tok.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() in verbs:
            return Listed(role, head.i + 1)  # "Speakers included A", "The panel featured A"
        if tok.dep_ == "pobj" and head.lower_ == "among":
            verb = head.head
            return Listed(role, max(tok.i, verb.i) + 1)  # "Among the guests were A and B"
    return None


def heading_role(doc: Doc, start: int, end: int, words: dict) -> Role | None:
    """The role a heading line gives the bulleted lines under it: "Speakers at the session:",
    "Nine alumni came back for the occasion:"."""
    last = end - 1
    while last > start and doc[last].is_space:
        last -= 1
    if doc[last].text != ":" or last - start > 30:
        return None
    nouns = words["role_nouns"]
    for tok in doc[start:last]:
        if tok.lower_ in nouns and tok.pos_ in ("NOUN", "PROPN"):
            return Role(nouns[tok.lower_])
    line = doc[start:last]  # "Nine alumni came back for the occasion:"
    if any(t.lower_ in words["crowd_nouns"] for t in line) and \
            any(t.pos_ == "VERB" and t.lemma_.lower() in words["arrival_verbs"] for t in line):
        return Role.ATTENDEE
    return None
