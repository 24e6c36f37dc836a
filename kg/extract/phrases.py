"""Event phrases headed by a common noun: "a finance technology sub-forum of the X Forum",
"the inauguration ceremony for the X Institute", "a press conference on Xiamen's fintech
achievements" (named: the phrase prints a proper name), "a project roadshow", "a number of
signing activities" (unnamed, with a kind), and anaphors ("the forum", "the event").

Span labels: an EventKind value for a named phrase, "~Kind" for a new unnamed event,
"=Kind" for a definite unnamed one ("the signing ceremony": the article's signing, if it has
one), "!Kind" for a past occasion someone recalls ("recalled the signing of the X agreement":
an event of its own, part of none), and the head word for an anaphor."""
from __future__ import annotations

from spacy.tokens import Doc, Span

from .lexicon import Words

_DEFINITE = ("the", "this", "that", "these", "its", "their")
_INDEFINITE = ("a", "an", "of", "another", "one")
_MOD_DEPS = ("compound", "amod", "nmod", "npadvmod", "nummod")


def _kind(head: str, mods: list[str], lex: Words) -> str:
    """The event kind of a phrase: "signing ceremony" is a Signing, "sub-forum" a SubForum."""
    if mods and mods[-1] == "-" or "sub" in mods:
        return "SubForum"
    for m in mods:
        if m in lex.event_kind_mods and head in ("ceremony", "ceremonies", "activities", "activity", "event", "conference"):
            return lex.event_kind_mods[m]
    return lex.event_heads.get(head, "Event")


def _has_name(span, lex: Words) -> bool:
    """Whether a span prints a proper name (a capital or a digit past its first token)."""
    for t in span:
        if t.is_sent_start:
            continue
        if (t.text[0].isupper() or t.text[0].isdigit()) and t.lower_ not in lex.months and t.lower_ not in lex.weekdays:
            return True
    return False


def _institution(span, lex: Words) -> bool:
    """Whether a span names an institution ("CASIC Rocket Technology Co., Ltd.", "the Harbor
    Bank"): "the B-round signing ceremony of X" is X's ceremony, named without X."""
    words = [t.lower_.rstrip(".") for t in span if t.is_alpha]
    return bool(words) and (words[-1] in lex.org_heads or words[-1] in lex.legal_tails
                            or any(t.ent_type_ == "ORG" for t in span))


def _year(t) -> bool:
    return len(t.text) == 4 and t.text.isdigit() and t.text[:2] in ("19", "20")


def _edition_year(doc: Doc, k: int) -> bool:
    """A year between a name and an event noun: "the X Award 2018 presentation ceremony"."""
    return _year(doc[k]) and k > 0 and doc[k - 1].text[:1].isupper() and doc[k - 1].is_alpha


def event_phrases(doc: Doc, lex: Words, covered: list[bool],
                  named_events: set[int]) -> tuple[list[Span], list[Span]]:
    """(event spans, anaphor spans) headed by a common event noun. ``named_events``: tokens of
    named events; "the opening ceremony of the X Forum" is an unnamed part of the X Forum,
    while "a finance sub-forum of the X Forum" is a sub-forum the text names."""
    events, refs = [], []
    n = len(doc)
    for i, tok in enumerate(doc):
        low = tok.lower_
        if low not in lex.event_unnamed_heads or covered[i] or tok.pos_ not in ("NOUN", "PROPN", "VERB"):
            continue
        if tok.dep_ == "compound" or (i + 1 < n and doc[i + 1].lower_ in lex.event_unnamed_heads and not covered[i + 1]):
            continue
        s = i
        while s > 0 and not covered[s - 1] and doc[s - 1].lower_ not in _DEFINITE + _INDEFINITE and (
                doc[s - 1].head.i in range(s, i + 1) and doc[s - 1].dep_ in _MOD_DEPS
                or doc[s - 1].pos_ in ("NOUN", "PROPN", "ADJ") and doc[s - 1].tag_ not in ("NNS", "NNPS")
                and not doc[s - 1].ent_type_ in ("DATE", "CARDINAL", "ORDINAL")
                or _edition_year(doc, s - 1)
                or doc[s - 1].text in ("-",) or doc[s - 1].whitespace_ == "" and doc[s - 1].is_alpha):
            s -= 1
        if s > 0 and doc[s - 1].text in ("'s", "’s"):
            if s == i:
                continue
            det = "the"
        else:
            det = doc[s - 1].lower_ if s > 0 else ""
        mods = [t.lower_ for t in doc[s:i]]
        plural = tok.tag_ in ("NNS", "NNPS")
        if plural and not any(m in lex.event_kind_mods for m in mods):
            continue
        e = i + 1
        named_mod = any(t.text[:1].isupper() and not t.is_sent_start and t.ent_type_ not in ("GPE", "LOC", "NORP")
                        for t in doc[s:i]) or (  # "NDA signing ceremony", not "Lakeport conference"
            s < i and _year(doc[s]) and i - s >= 2)  # "its 2025 interim results briefing"
        if e + 1 < n and doc[e].lower_ in ("of", "for", "on"):
            pobj = [c for c in doc[e].children if c.dep_ == "pobj"]
            if pobj and _has_name(doc[pobj[0].left_edge.i:pobj[0].right_edge.i + 1], lex) and not (
                    named_mod and doc[e].lower_ == "of" and _institution(doc[pobj[0].left_edge.i:pobj[0].right_edge.i + 1], lex)):
                e = pobj[0].right_edge.i + 1
                while e > i and (doc[e - 1].is_punct or doc[e - 1].text in ("'s", "’s")):
                    e -= 1
        kind = _kind(low, mods, lex)
        name = doc[s:e]
        of_event = any(k in named_events for k in range(i + 1, e)) and kind != "SubForum"
        if (e > i + 1 or named_mod) and _has_name(name, lex) and low in lex.event_phrase_named_heads and not of_event:
            events.append(Span(doc, s, e, label=kind))
            continue
        base = doc[s:i + 1]
        has_kind_mod = any(m in lex.event_kind_mods for m in mods)
        if det in _DEFINITE:
            if has_kind_mod:
                events.append(Span(doc, s, i + 1, label="=" + kind))
            elif low in lex.event_anaphors:  # "@": a demonstrative points at the latest one
                label = ("@" if det in ("this", "that", "these") else "") + " ".join(mods + [low])
                refs.append(Span(doc, i, i + 1, label=label))
            continue
        if low in ("event", "gathering", "opening", "launch", "activities", "activity", "presentation") and not has_kind_mod:
            continue
        if det in _INDEFINITE or has_kind_mod:
            events.append(Span(doc, base.start, base.end, label="~" + kind))
    return events, refs


def recalled_events(doc: Doc, lex: Words, covered: list[bool]) -> list[Span]:
    """"Osei recalled the signing of the X Hub grant agreement in April": an occasion someone
    recalls, named by an event noun and a named "of" complement, is a past event of its own,
    not part of the one under way. Label "!" and the kind."""
    out = []
    for tok in doc:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in lex.event_recall_verbs:
            continue
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        low = obj.lower_ if obj is not None else ""
        if obj is None or covered[obj.i] or low not in lex.event_unnamed_heads and low not in lex.event_kind_mods:
            continue
        of = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if pobj is None or not _has_name(doc[pobj.left_edge.i:pobj.i + 1], lex):
            continue
        e = pobj.i + 1
        kind = lex.event_kind_mods.get(low) or lex.event_heads.get(low) or "Event"
        out.append(Span(doc, obj.i, e, label="!" + kind))
    return out
