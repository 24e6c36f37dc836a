"""Mentions of one article: titles, people, organisations, events and places, as token spans.

One linear pass per kind over the Doc (no token x entity loops):

1. titles (:mod:`.titles`);
2. people, in named passes (:mod:`.people`);
3. name runs (:mod:`.names`): maximal runs of capitalised tokens joined by "of", "and", "for", "the", "'s",
   hyphens, inner parentheses and "Co., Ltd.", split where a title, a person or an
   acronym definition intervenes, split at "and" between two complete names, and classified
   by their head word (lexicon) into organisations, events and venues, with the one name
   nested after "of" ("Department of X of the Ministry of Y").

Writes ``doc.spans``: kg_title, kg_person, kg_surname, kg_org, kg_event, kg_place, kg_work
(products and plans the tagger called organisations); each span's
label is the kind (OrgKind / EventKind value, "GPE", "VENUE")."""
from __future__ import annotations

from spacy.tokens import Doc, Span

from .lexicon import Words, words
from .names import acronym_paren, classify, core_end, initials, ner_orgs, runs, split_and
from .names import nested as nested_name
from .people import find_people
from .phrases import event_phrases, recalled_events
from .quoted import quoted_events
from .titles import find_titles

_YEAR = ("19", "20")


def _is_year(tok) -> bool:
    return len(tok.text) == 4 and tok.text.isdigit() and tok.text[:2] in _YEAR


def event_by_context(doc: Doc, s: int, e: int, lex: Words) -> bool:
    """A name with no event head word that the sentence shows to be an event: a lower-case
    event noun right after it ("the Money Summit Middle East conference"), or a year that
    ends or starts it while it is where something happens ("spoke at Fintech Live 2024",
    "Fintech Live 2024 opened")."""
    words_ = [t for t in doc[s:e] if not t.is_punct and not _is_year(t)]
    heads = {words_[-1].lower_, doc[core_end(doc, s, e) - 1].lower_} if words_ else set()
    if not words_ or heads & (lex.org_heads.keys() | lex.work_heads | lex.venue_heads) or \
            any(t.ent_type_ == "PERSON" for t in words_):
        return False
    brand = any(any(c.isdigit() for c in t.text) or sum(c.isupper() for c in t.text[1:]) for t in words_)
    if e < len(doc) and doc[e].lower_ in lex.event_context_heads and doc[e].text.islower():
        return brand or not all(t.ent_type_ in ("GPE", "LOC", "NORP") for t in words_)  # not "a Lakeside forum"
    if not (_is_year(doc[e - 1]) or _is_year(doc[s]) and e - s >= 2 and doc[s + 1].text[:1].isupper()):
        return False  # "Lakeside Live 2031", "2031 Lakeside Live"; not "In 2015 the Lakeside circle"
    root = doc[s]
    while root.head.i != root.i and s <= root.head.i < e:
        root = root.head
    if root.dep_ == "pobj" and root.head.lower_ in ("at", "in") and root.head.head.lemma_.lower() in (
            "hold", "host", "stage", "house", "locate"):
        return False  # "the Partnership Day, held at the Casino 2000": where an event is, a venue
    if root.dep_ == "pobj" and root.head.lower_ in lex.event_setting_preps:
        return True
    return root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in lex.event_setting_verbs


def _tail(doc: Doc, s: int, e: int) -> tuple[int, int] | None:
    """The rest of a name run after its first "in", "for", "at" or "during" (and "the"), when a
    name may start there."""
    for k in range(s + 1, e - 1):
        if doc[k].lower_ in ("in", "for", "at", "during"):
            j = k + 1 + (doc[k + 1].lower_ == "the")
            return (j, e) if j < e and (doc[j].text[:1].isupper() or doc[j].text[:1].isdigit()) else None  # "the 2024 X Forum"
    return None


def _counted(doc: Doc, s: int, e: int) -> bool:
    """"23 Provincial Design Awards won by the district's firms": a count of things a plural name gives,
    not an event (a year, "2024 X Awards", or an ordinal, "5th X Forum", starts an edition)."""
    first = doc[s].text
    return first.isdigit() and not (len(first) == 4 and first[:2] in ("19", "20")) and \
        doc[e - 1].tag_ in ("NNS", "NNPS") and doc[e - 1].lower_.endswith("s")


def _named_product(doc: Doc, e: int, lex) -> bool:
    """A name followed by its acronym in parentheses and a lower-case product or plan noun:
    "the Investment in X Enterprises (IXE) programme" names the programme."""
    if e >= len(doc) or doc[e].text != "(":
        return False
    k = next((k for k in range(e + 1, min(e + 8, len(doc))) if doc[k].text == ")"), None)
    return k is not None and k + 1 < len(doc) and doc[k + 1].lower_ in lex.product_heads and doc[k + 1].is_lower


# ---------------------------------------------------------------- people
def tag(doc: Doc) -> None:
    """Write the mention span groups of ``doc`` (see module docstring)."""
    lex = words()
    n = len(doc)
    titles = find_titles(doc, lex)
    doc.user_data["kg_titles"] = titles
    title_mask = [False] * n
    for s, e in titles:
        for k in range(s, e):
            title_mask[k] = True
    people, single = find_people(doc, lex, title_mask)
    blocked = title_mask[:]
    for s, e in people:
        for k in range(s, e):
            blocked[k] = True
    for k in single:
        blocked[k] = True
    for i, tok in enumerate(doc):
        if tok.text == "(" and acronym_paren(doc, i):
            blocked[i] = True
        if tok.text in (")", ";", "\"", "“", "”") or tok.is_space:
            blocked[i] = True
    orgs, events, places, programmes = [], [], [], []
    known = {" ".join(e.text.split()[-3:]) for e in doc.ents if e.label_ == "ORG"}
    parts = [p for rs, re_ in runs(doc, lex, blocked) for p in split_and(doc, rs, re_, lex)]
    while parts:
        s, e = parts.pop(0)
        if e - s > 3 and doc[s + 1].text == "-" and doc[s + 2].lower_ in lex.base_words:
            s += 3  # "Singapore-based X Capital": the name starts after the description
        glued = e > s + 1 and doc[s].whitespace_ == "" and doc[s + 1].text in ("-", "–")  # "All-China"
        spelled = e + 2 < n and doc[e].text == "(" and doc[e + 2].text == ")" and \
            initials(doc[s:e].text, doc[e + 1].text) and not initials(doc[s + 1:e].text, doc[e + 1].text)
        if not glued and not spelled and (doc[s].lower_ in lex.not_names or doc[s].is_sent_start and doc[s].pos_ not in ("PROPN", "NUM")
                          and (classify(doc, s, e, lex) is None or doc[s].is_stop)):
            s += 1  # "If the X Fest": a capital that only starts the sentence
            while s < e and doc[s].is_lower:  # "Shares of X Group": "of" starts no name
                s += 1
        kind = classify(doc, s, e, lex) if e > s else None
        if kind is None and e > s and event_by_context(doc, s, e, lex):
            kind = ("EVENT", "Conference")
        if kind is None or kind[0] == "VENUE":
            tail = _tail(doc, s, e)  # "X Museum in Y Zone for the Z Conference": Y Zone, Z Conference
            if tail:
                parts.insert(0, tail)
        if kind is None or kind[0] == "EVENT" and _counted(doc, s, e):
            continue
        nested = nested_name(doc, s, e, lex, known) if kind[0] != "VENUE" else None
        if kind[0] == "VENUE":
            core = core_end(doc, s, e)
            if core + 1 < e and doc[core].lower_ == "of":  # "the Art Center of X University": X University
                parts.insert(0, (core + 1 + (doc[core + 1].lower_ == "the"), e))
            e = core
        elif nested and kind[0] == nested[2][0] == "EVENT" and not all(
                t.lower_ in lex.event_generic for t in doc[s:core_end(doc, s, e)] if t.is_alpha):
            e = core_end(doc, s, e)  # "Payments Conference" of the "2030 ... Forum": two events
        quoted = s > 0 and doc[s - 1].text in ('"', "“") and e < n and doc[e].text in ('"', "”")
        if (quoted or _named_product(doc, e, lex)) and kind[0] == "ORG" and \
                doc[core_end(doc, s, e) - 1].lower_ not in lex.org_strong:
            if not quoted:
                programmes.append(Span(doc, s, e, label="WORK"))  # still a subject a figure may have
            continue  # a quoted platform, programme or agreement; "X (XP) programme"
        target = {"ORG": orgs, "EVENT": events, "VENUE": places}[kind[0]]
        target.append(Span(doc, s, e, label=kind[1] or "VENUE"))
        if nested and nested[2][0] != "VENUE":
            ns, ne, nk = nested
            ({"ORG": orgs, "EVENT": events}[nk[0]]).append(Span(doc, ns, ne, label=nk[1]))
    tagged, works = ner_orgs(doc, lex, blocked, orgs + events + places)
    orgs += tagged
    orgs += [Span(doc, s, e, label="Organization") for s, e in doc.user_data.pop("kg_context_orgs", [])]
    covered = [False] * n
    for sp in orgs + events + places:
        for k in range(sp.start, sp.end):
            covered[k] = True
    for ent in doc.ents:
        if ent.label_ in ("GPE", "LOC", "FAC") and not any(covered[k] or blocked[k] for k in range(ent.start, ent.end)):
            s = ent.start + (doc[ent.start].lower_ == "the")
            e = ent.end - (doc[ent.end - 1].text in ("'s", "’s"))
            hyphened = doc[e - 1].text in ("-", "–") or s > 0 and doc[s - 1].text in ("-", "–") \
                and doc[s - 1].whitespace_ == ""  # "the Guangdong-Hong Kong-Macao Greater Bay Area": part of a name
            if e > s and not hyphened:
                places.append(Span(doc, s, e, label="GPE"))
    for sp in quoted_events(doc, lex, covered):
        events.append(sp)
        covered[sp.start:sp.end] = [True] * len(sp)
    phrase_events, refs = event_phrases(doc, lex, covered, {k for sp in events for k in range(sp.start, sp.end)})
    phrase_events += recalled_events(doc, lex, covered)
    doc.spans["kg_title"] = [Span(doc, s, e, label="TITLE") for s, e in titles]
    doc.spans["kg_person"] = [Span(doc, s, e, label="PERSON") for s, e in people]
    doc.spans["kg_surname"] = [Span(doc, k, k + 1, label="PERSON") for k in single]
    doc.spans["kg_org"] = orgs
    doc.spans["kg_event"] = events + phrase_events
    doc.spans["kg_event_ref"] = refs
    doc.spans["kg_place"] = places
    doc.spans["kg_work"] = works + programmes
