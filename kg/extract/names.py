"""Name runs: maximal runs of capitalised tokens joined by "of", "and", "for", "the", "'s",
hyphens, inner parentheses and "Co., Ltd." (and short words of another language in a name
that ends in ", Inc."), split where a title, a person or an acronym
definition intervenes and at "and" between two complete names, classified by their head
word (lexicon) into organisations, events and venues, with the one name nested after "of"
("Department of X of the Ministry of Y"); and the spaCy ORG entities no run explains.

Used by :mod:`.mentions`; every function is one linear pass over the Doc's tokens."""
from __future__ import annotations

from spacy.tokens import Doc, Span

from .lexicon import Words
from .numbers import lexicon as number_words
from .numbers import unit_word

_HYPHENS = ("-", "–")


def _cap(tok, lex: Words) -> bool:
    """A token that can be part of a proper name."""
    text = tok.text
    if not text or not (text[0].isupper() or text[0].isdigit()):
        return False
    low = tok.lower_.rstrip(".")
    if text[0].isdigit() and _figure_follows(tok):
        return False  # "Delta Bank 4.7 trillion yuan": a figure after the name, not its number
    return not (low in lex.months and len(low) > 3) and low not in lex.weekdays and text not in ("I", "A")


def _figure_follows(tok) -> bool:
    """Whether a number token is followed by a scale or unit word ("4.7 trillion", "12 percent")."""
    if tok.i + 1 >= len(tok.doc):
        return False
    nxt = tok.doc[tok.i + 1].lower_
    return unit_word(nxt) or nxt == "%" or any(p[0] == nxt for p in number_words().percent)


def _joined(doc: Doc, i: int) -> bool:
    """Token i is glued to token i+1 (no whitespace between them)."""
    return i + 1 < len(doc) and doc[i].whitespace_ == ""


def acronym_paren(doc: Doc, i: int) -> int:
    """If doc[i] is "(" opening "(ACR)" or "(the Full Name)", the index after ")", else 0."""
    j = i + 1
    while j < len(doc) and j - i < 25 and doc[j].text != ")":
        j += 1
    if j >= len(doc) or doc[j].text != ")":
        return 0
    inner = doc[i + 1:j]
    if len(inner) == 1 and sum(c.isupper() for c in inner.text) >= 2:
        return j + 1
    if len(inner) >= 2 and inner[0].lower_ == "the":
        return j + 1
    return 0


def initials(name: str, acronym: str) -> bool:
    """Whether an acronym's letters are the initials of a name's words, in order."""
    initials = [w[0].upper() for w in name.replace("-", " ").split() if w[:1].isalpha()]
    return in_order(initials, [c for c in acronym if c.isalpha() and c.isupper()])


def in_order(initials: list[str], letters: list[str]) -> bool:
    """Whether ``letters`` are found among ``initials`` in order, the first with the first."""
    if not initials or not letters or initials[0] != letters[0]:
        return False
    pos = 0
    for c in letters:
        while pos < len(initials) and initials[pos] != c:
            pos += 1
        if pos == len(initials):
            return False
        pos += 1
    return True


def _spelled(doc: Doc, i: int, lex: Words) -> bool:
    """Whether the name from token i on is spelled out by the acronym in parentheses after it,
    the first word included: "Our Harbor Foundation (OHF)"."""
    n, j = len(doc), i + 1
    while j < n and (_cap(doc[j], lex) or doc[j].lower_ in lex.connectors and j + 1 < n and _cap(doc[j + 1], lex)):
        j += 1
    return j + 2 < n and doc[j].text == "(" and doc[j + 2].text == ")" and \
        initials(doc[i:j].text, doc[j + 1].text) and not initials(doc[i + 1:j].text, doc[j + 1].text)


def _quoted_part(doc: Doc, j: int, lex: Words) -> int:
    """A quoted title-case slogan inside a name (an opening quote after a name word, at most
    six name words, the closing quote, then a name word): the token after the closing quote,
    else 0."""
    n = len(doc)
    if doc[j].text not in ('"', "“") or j == 0 or not _cap(doc[j - 1], lex):
        return 0
    k = j + 1
    while k < n and k - j <= 6 and (_cap(doc[k], lex) or doc[k].text in _HYPHENS or doc[k].lower_ in lex.connectors):
        k += 1
    if k == j + 1 or k + 1 >= n or doc[k].text not in ('"', "”") or not _cap(doc[k + 1], lex):
        return 0
    return k + 1


def _partners(doc: Doc, j: int, lex: Words, blocked: list[bool]) -> int:
    """At the comma after one capitalised word: one to six further single capitalised words
    separated by commas, then "&" and a last one ("Harlow, Osei & Brandt"): the index after the
    last word, else 0. A list of names would end with "and"."""
    n, k = len(doc), j
    while k + 2 < n and k - j < 12 and doc[k].text == "," and _cap(doc[k + 1], lex) and doc[k + 1].is_alpha \
            and not blocked[k + 1] and doc[k + 2].text in (",", "&"):
        k += 2
        if doc[k].text == "&":
            last = k + 1
            if last < n and _cap(doc[last], lex) and doc[last].is_alpha and not blocked[last] and \
                    not (last + 1 < n and _cap(doc[last + 1], lex)):
                return last + 1
            return 0
    return 0


def _before_legal_tail(doc: Doc, j: int, lex: Words, blocked: list[bool]) -> int:
    """Short lower-case words (at most four letters each, at most three in a row, no English
    stop word or verb) between capitalised words, up to a comma and a capitalised legal tail
    ("Samahan para sa Bagong Ani, Inc."): the index of that comma, else 0. Words in
    another language's name ("para", "sa", "na") are part of it when the name ends as a
    company's does."""
    n, k, lower = len(doc), j, 0
    while k < n and k - j < 8 and not blocked[k]:
        tok = doc[k]
        if tok.text.islower() and tok.is_alpha and len(tok.text) <= 4 and not tok.is_stop \
                and tok.pos_ not in ("VERB", "AUX"):  # no English word: "Prizes went to X, Inc."
            lower += 1
            if lower > 3:
                return 0
        elif _cap(tok, lex):
            lower = 0
        else:
            break
        k += 1
    if k == j or lower or k + 1 >= n or doc[k].text != "," or not doc[k + 1].text[:1].isupper() \
            or doc[k + 1].lower_ not in lex.legal_tails:
        return 0
    return k


def runs(doc: Doc, lex: Words, blocked: list[bool]) -> list[tuple[int, int]]:
    """Maximal runs of name tokens (see module docstring), before splitting."""
    n, runs, i = len(doc), [], 0
    conn = lex.connectors
    while i < n:
        if blocked[i] or not _cap(doc[i], lex) or doc[i].lower_ in lex.not_names and not (
                _joined(doc, i) and i + 1 < n and doc[i + 1].text in _HYPHENS or _spelled(doc, i, lex)):
            # "All-China ...", "Our Harbor Foundation (OHF)"
            i += 1
            continue
        start, j, colon = i, i + 1, False
        while j < n and (not blocked[j] or _quoted_part(doc, j, lex)):
            if quoted := _quoted_part(doc, j, lex):
                j = quoted  # 'the 2024 Hetang "Finance Helps Sci-Tech" Matchmaking Conference'
                continue
            tok = doc[j]
            if tok.is_sent_start and (doc[j - 1].is_space or "\n" in doc[j - 1].whitespace_ or doc[j - 1].text in ".!?"):
                break
            if _cap(tok, lex):
                j += 1
                continue
            if tok.text in _HYPHENS and doc[j - 1].whitespace_ == "" and _joined(doc, j) and not blocked[j + 1]:
                j += 2
                continue
            if tok.text in ("'s", "’s") and doc[j - 1].lower_ in lex.possessive_words and j + 1 < n and \
                    _cap(doc[j + 1], lex) and not blocked[j + 1]:
                j += 1
                continue
            if tok.text in ("'", "’") and doc[j - 1].whitespace_ == "" and doc[j - 1].text.endswith("s") and \
                    j + 1 < n and _cap(doc[j + 1], lex) and not blocked[j + 1]:
                j += 1  # "the 2024 LedgerLoop Founders' Roadshow": a plural possessive inside a name
                continue
            if tok.text == "," and doc[j - 1].lower_ in ("co.", "co") and j + 1 < n and doc[j + 1].lower_.startswith("ltd"):
                j += 2
                continue
            if tok.text == "(" and not acronym_paren(doc, j):
                k = j + 1
                while k < n and k - j < 6 and _cap(doc[k], lex) and not blocked[k]:
                    k += 1
                if k < n and doc[k].text == ")" and k > j + 1 and k + 1 < n and _cap(doc[k + 1], lex):
                    j = k + 1
                    continue
                break
            if tok.text == ":" and doc[j - 1].lower_ in lex.event_named_heads and j + 1 < n and _cap(doc[j + 1], lex):
                colon, j = True, j + 1
                continue
            if tok.text == "," and j == start + 1 and (partners := _partners(doc, j, lex, blocked)):
                j = partners  # "Harlow, Osei & Brandt": a firm named after its partners
                continue
            if tok.text == "," and any(doc[k].lower_ in ("of", "for") for k in range(start, j)):
                k = j
                while k + 1 < n and doc[k].text == "," and _cap(doc[k + 1], lex) and not blocked[k + 1]:
                    k += 2
                if k > j and k + 1 < n and doc[k].lower_ == "and" and _cap(doc[k + 1], lex):
                    j = k
                    continue
                break
            if legal := _before_legal_tail(doc, j, lex, blocked):
                j = legal  # "Samahan para sa Bagong Ani, Inc.": lower-case words inside a company's name
                continue
            low = tok.lower_
            if low in conn or low in lex.ordinals or (colon and low == "from"):
                k = j
                while k < n and not blocked[k] and (doc[k].lower_ in conn or doc[k].lower_ in lex.ordinals
                                                    or (doc[k].text[0].isdigit() and doc[k].text[-2:] in ("th", "st", "nd", "rd"))
                                                    or (colon and doc[k].lower_ == "from")) and k - j < 4:
                    k += 1
                if k < n and k > j and not blocked[k] and _cap(doc[k], lex) and not doc[k - 1].is_space:
                    j = k
                    continue
            break
        # a lower-case head after a proper name: "the Haidong District government"
        if j < n and not blocked[j] and doc[j].lower_ in lex.org_lower_heads and doc[j].text.islower():
            j += 1
        while j > start and (doc[j - 1].lower_ in conn or doc[j - 1].text in ("'s", "’s", ",", "-")):
            j -= 1
        ins = [k for k in range(start + 1, j) if doc[k].lower_ == "in"]
        if ins and not any(doc[k].lower_ in ("of", "for") for k in range(start, ins[-1])) and \
                not any(doc[k].lower_ in lex.org_heads or doc[k].lower_ in lex.event_heads for k in range(ins[-1], j)):
            j = ins[-1]
        if j > start:
            runs.append((start, j))
        i = max(j, i + 1)
    return runs


def core_end(doc: Doc, s: int, e: int) -> int:
    """End of a name's core: before its first "of", "for", "on", "in" or ":"."""
    for k in range(s + 1, e):
        if doc[k].lower_ in ("of", "for", "on", "in", ":"):
            return k
    return e


def classify(doc: Doc, s: int, e: int, lex: Words) -> tuple[str, str] | None:
    """("ORG", OrgKind) / ("EVENT", EventKind) / ("VENUE", "") for a name span, or None."""
    core = core_end(doc, s, e)
    toks = [t for t in doc[s:core] if t.text not in _HYPHENS and not t.is_punct]
    if not toks:
        return None
    last = doc[e - 1].lower_
    if last in lex.legal_tails and e - s >= 2:
        return "ORG", lex.org_heads.get(last, "Company")
    words_ = [t.lower_ for t in toks]
    if len(words_) >= 2 and " ".join(words_[-2:]) in lex.venue_pairs:
        return "VENUE", ""
    if words_[-1] in lex.venue_heads and len(words_) >= 2:
        return "VENUE", ""
    if words_[-1] in lex.work_heads or (len(words_) > 1 and words_[-1][0].isdigit() and words_[-2] in lex.work_heads):
        return None
    complement = core < e
    for w in reversed(words_[-2:]):
        if w in lex.event_named_heads and (len(words_) >= 2 or complement or w in ("expo",)):
            if w == words_[-1] and len(words_) >= 2 and words_[-2] == "sub":
                return "EVENT", "SubForum"
            return "EVENT", lex.event_heads.get(w, "Event")
        if w in lex.org_heads and (len(words_) >= 2 or complement or w in lex.legal_tails):
            if w == words_[-1] or w in lex.org_strong:
                return "ORG", lex.org_heads[w]
    if e - s >= 5 and doc[s + 1].text == "," and doc[e - 2].text == "&" and \
            all(doc[k].text in (",", "&") for k in range(s + 1, e, 2)):
        return "ORG", "Company"  # "Harlow, Osei & Brandt": partners' names (see _partners)
    if e + 1 < len(doc) and doc[e].text == "," and doc[e + 1].text[:1].isupper() and \
            doc[e + 1].lower_ in lex.legal_tails and doc[s].text[:1].isupper():
        return "ORG", "Company"  # "Walong Sa Liwayway, Inc.": a name with no head word before a legal tail
    return None


def split_and(doc: Doc, s: int, e: int, lex: Words) -> list[tuple[int, int]]:
    """Split "A Alliance and B Group", "Bank of X and Y University", "the A and the B" into
    two names; keep "Science and Technology", "Convention and Exhibition Centre"."""
    parts, cur = [], s
    for k in range(s + 1, e - 1):
        if doc[k].lower_ not in ("and", "&") or k <= cur:
            continue
        nxt = k + 1 + (doc[k + 1].lower_ == "the")
        if nxt >= e or all(t.lower_ in lex.legal_tails or t.is_punct for t in doc[nxt:e]):
            continue  # "McKinsey & Co.": one name
        right_end = _next_and(doc, nxt, e)
        right = classify(doc, nxt, e, lex) or classify(doc, nxt, right_end, lex)
        left_tok, left_kind = doc[k - 1], classify(doc, cur, k, lex)
        ner_split = left_tok.ent_type_ == "ORG" and doc[k].ent_iob_ == "O" and left_kind is not None \
            and right is None and doc[nxt].text[:1].isalpha() and doc[nxt].ent_iob_ == "B" \
            and left_tok.lower_ not in lex.institution_words  # "Bank of X and Tencent Cloud"
        if right is not None and right[0] == "VENUE":
            continue
        left = left_tok.lower_
        cue = doc[k + 1].lower_ == "the" or left in lex.org_strong or left in lex.event_named_heads \
            or left in lex.legal_tails or left_tok.text == ")" or sum(c.isupper() for c in left_tok.text) >= 2
        both = right is not None and right[0] == "ORG" and left_kind is not None and k - cur >= 3 and \
            doc[k - 2].lower_ == "of" and left_tok.is_alpha and left_tok.text[0].isupper() and \
            left_tok.lower_ not in lex.institution_words and \
            doc[core_end(doc, nxt, right_end) - 1].lower_ in lex.org_strong  # "Bank of X and Y University"
        industry = right is not None and right[0] == "ORG" and k - cur >= 2 and left not in lex.org_weak \
            and lex.org_heads.get(left) == "Company"  # "Velmora Robotics and Castrel Aerospace"
        ner_two = left_tok.ent_type_ == "ORG" and doc[k].ent_iob_ == "O" and doc[nxt].ent_iob_ == "B" \
            and doc[nxt].ent_type_ == "ORG" and k - cur >= 2 and right is not None \
            and not any(t.lower_ == "of" for t in doc[cur:k]) and not (  # the tagger saw two names
                e + 2 < len(doc) and doc[e].text == "(" and initials(doc[cur:e].text, doc[e + 1].text))
        if ner_split or right is not None and (cue or both or industry or ner_two):
            parts.append((cur, k))
            cur = nxt
    parts.append((cur, e))
    return parts


def _next_and(doc: Doc, s: int, e: int) -> int:
    """The next "and" in [s, e), or e."""
    for k in range(s + 1, e):
        if doc[k].lower_ in ("and", "&"):
            return k
    return e


def nested(doc: Doc, s: int, e: int, lex: Words, known: set[str]) -> tuple[int, int, tuple[str, str]] | None:
    """The first complete name after an "of"/"in" inside a name ("... of the Ministry of X"),
    unless "Head of X" is itself a name the article uses ("Bank of Lakeside Institute")."""
    core = core_end(doc, s, e)
    for k in range(core, e - 1):
        if doc[k].lower_ not in ("of", "in") or doc[k + 1].lower_ != "the" and \
                f"{doc[k - 1].text} of {doc[k + 1].text}" in known:
            continue
        if k == core and core - s == 1 and doc[k + 1].lower_ != "the":
            continue
        if doc[k - 1].lower_ in lex.org_strong and doc[k + 1].lower_ != "the":  # "Bank of Lakeside Harbor Branch"
            continue
        j = k + 1
        while j < e and (doc[j].lower_ in ("the", "and") or doc[j].lower_ in lex.ordinals
                         or doc[j].text[0].isdigit() and doc[j].text[-2:] in ("th", "st", "nd", "rd")):
            j += 1
        kind = classify(doc, j, e, lex) if j < e else None
        head = [t.lower_ for t in doc[j:core_end(doc, j, e)] if t.is_alpha]
        if kind and head and (head[-1] in lex.org_strong or head[-1] in lex.event_named_heads) and \
                doc[e - 1].lower_ not in lex.legal_tails:
            return j, e, kind
    return None


def ner_orgs(doc: Doc, lex: Words, blocked: list[bool], taken: list[Span]) -> tuple[list[Span], list[Span]]:
    """spaCy ORG entities no name run explains ("Tencent", "Jade Ark"), when their shape is
    that of a name: capitalised, no quotes or commas, not a generic acronym ("CPC", "MoU"),
    not a work ("... Report"), not a programme followed by a number, not labelled otherwise
    elsewhere in the article. Second: the ORG entities that name a product or a plan
    ("X Wallet", "Norland 2040"), which may still be the subject of a figure."""
    used = set()
    for sp in taken:
        used.update(range(sp.start, sp.end))
    labels: dict[str, set[str]] = {}
    places: set[str] = set()
    for ent in doc.ents:
        labels.setdefault(ent.text.removeprefix("the ").removeprefix("The "), set()).add(ent.label_)
        if ent.label_ in ("GPE", "LOC"):
            places.add(ent.text.lower().removeprefix("the "))
    out, works = [], []
    for ent in doc.ents:
        if ent.label_ != "ORG":
            continue
        s, e = ent.start, ent.end
        e = next((k for k in range(s, e) if doc[k].text == "("), e)  # "X (ACR" -> "X"
        while s < e and (doc[s].lower_ in lex.not_names or doc[s].lower_ in lex.party_words):
            s += 1
        while e > s and (doc[e - 1].text in ("'s", "’s") or doc[e - 1].is_punct or doc[e - 1].lower_ in lex.party_words):
            e -= 1
        if e <= s or any(k in used or blocked[k] for k in range(s, e)):
            continue
        toks = doc[s:e]
        text = toks.text
        if any(t.text in (",", '"', "“", "”", "(", ")") for t in toks) or not all(
                t.text[:1].isupper() or t.lower_ in lex.connectors or t.text in ("-", "&") or t.text[:1].isdigit()
                for t in toks):
            continue
        if text.lower() in lex.generic_acronyms or toks[-1].lower_ in lex.work_heads | lex.venue_heads \
                or doc[core_end(doc, s, e) - 1].lower_ in lex.work_heads \
                or e < len(doc) and doc[e].lower_ in lex.work_heads and doc[e].text[:1].isupper() \
                or len(labels.get(text, ())) > 1:  # "... Report", "National Strategy for X": works
            continue
        if e < len(doc) and doc[e].like_num or toks[-1].like_num or _product(doc, s, e, lex):
            works.append(Span(doc, s, e, label="WORK"))  # "Norland 2040", "X Wallet": a plan, a product
            continue
        if _place(doc, s, e, places):
            continue
        if s > 0 and doc[s - 1].text in ('"', "“", "'", "‘") or e < len(doc) and doc[e].text in ('"', "”", "'", "’"):
            continue
        if len(toks) == 1 and not (sum(c.isupper() for c in text) >= 2 or doc[s].pos_ == "PROPN" and not doc[s].is_sent_start):
            continue
        if len(toks) == 1 and (toks[0].lower_ in lex.org_heads or toks[0].lower_.rstrip("s") in lex.org_heads):
            continue  # "the Foundation's invitation": the foundation named before, not a new one
        if all(t.lower_ in lex.institution_words or t.lower_ in lex.connectors for t in toks if t.is_alpha):
            continue  # "Professor of Electronic & Computer Engineering": a discipline
        ands = [k for k in range(s + 1, e - 1) if doc[k].lower_ == "and"]
        if len(ands) == 1 and not any(t.lower_ in lex.org_heads for t in toks) and ands[0] - s <= 2 and e - ands[0] <= 3:
            out += [Span(doc, s, ands[0], label="Organization"), Span(doc, ands[0] + 1, e, label="Organization")]
            continue  # "Alibaba and Tencent"
        out.append(Span(doc, s, e, label=lex.org_heads.get(toks[-1].lower_, "Organization")))
    return out, works


def _product(doc: Doc, s: int, e: int, lex: Words) -> bool:
    """A tagger's ORG that names a product or a plan: its head word ("X Wallet", "X
    Corridor") or a lower-case product noun after it ("X application")."""
    return doc[e - 1].lower_ in lex.product_heads or \
        e < len(doc) and doc[e].lower_ in lex.product_heads and doc[e].text.islower()


def _place(doc: Doc, s: int, e: int, places: set[str]) -> bool:
    """A tagger's ORG that is a place: a place's name in other letters ("WUHAN") or before a
    place word ("Luohu" of "Luohu District"), or one of a list of places ("across Cameroon,
    Chad and Gabon")."""
    text = doc[s:e].text.lower()
    if text in places or any(p.startswith(text + " ") for p in places):
        return True
    root = doc[s:e].root
    return any(c.ent_type_ in ("GPE", "LOC") for c in root.conjuncts)
