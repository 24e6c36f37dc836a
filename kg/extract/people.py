"""People's names in one Doc, found in named passes (see :func:`find_people`), with the shape
checks that keep "AB Tech" and "Harbor City" out."""
from __future__ import annotations

import re

from spacy.tokens import Doc

from .lexicon import Words
from .names import _HYPHENS, acronym_paren, initials
from .titles import find_titles_cache


_INITIAL = re.compile(r"^[A-Z]\.$")
_PREFIXED = re.compile(r"^(?:Mc|Mac|O'|O’|D'|D’|De|Di|Da|Du|La|Le|Van|Von)[A-Z][a-z]+$")
_SUFFIX = ("jr", "jr.", "sr", "sr.", "ii", "iii", "iv")


def person_shape_ok(tokens, lex: Words, gpe_texts: set[str]) -> bool:
    """Whether tokens look like a person's name (not "AB Tech", "Invest Harbor City"): each
    word capitalised and alphabetic, an initial ("M.") or a prefixed name ("McLean") allowed,
    no head word of an institution, an event or a venue."""
    words_ = [t for i, t in enumerate(tokens) if t.text not in _HYPHENS and not (i and tokens[i - 1].text in _HYPHENS)]
    if not words_ or all(_INITIAL.match(t.text) for t in words_):
        return False
    for i, t in enumerate(words_):
        text = t.text
        if _INITIAL.match(text) or text == "," or t.lower_ in _SUFFIX:
            continue
        if text.islower() and t.lower_ in lex.name_particles and 0 < i < len(words_) - 1:
            continue  # "Lena van der Berg"
        if not text[0].isupper() or not text.replace("-", "").replace("'", "").replace("’", "").isalpha():
            return False
        if sum(c.isupper() for c in text) > 1 and "-" not in text and "'" not in text and "’" not in text \
                and not _PREFIXED.match(text):
            return False
        low = t.lower_
        if low in lex.org_heads or low in lex.event_heads or low in lex.venue_heads or low in lex.months and len(low) > 3:
            return False
        if low.endswith("s") and (low[:-1] in lex.org_heads or low[:-1] in lex.event_heads):
            return False  # "Quanta Labs", "Harbor Awards"
        if low in lex.institution_words:
            return False  # "Technological Affairs", "Monetary Studies"
    if len(words_) >= 2 and words_[-1].lower_ in lex.place_words:
        return False  # "Hetang District", "Norbury County"
    text = " ".join(t.text for t in words_)
    return not any(g in text for g in gpe_texts if " " in g)


def find_people(doc: Doc, lex: Words, title_mask: list[bool]) -> tuple[list[tuple[int, int]], list[int]]:
    """(full names, single-token references such as surnames), found by these passes in
    order, each claiming the tokens it names:

    1. the tagger's PERSON entities (and its ORG ones where the words after them say
       person), trimmed of titles and honorifics, extended where the tagger cut them short;
    2. "P of the X Bank", "P (X Bank)": names known by the words after them;
    3. "P Q, chairman of ...": names before a comma and a title;
    4. "Director P Q said": names after a title;
    5. "P Q delivered a keynote", "P Q said": names the tagger left untagged as the subject of
       a verb of speaking;
    6. "A B, C D and E F": untagged names listed with a person found before;
    then each name takes a suffix ("Jr."), drops post-nominal letters ("OBE"), and a name
    that runs on into an institution's name ("Tan Kah Kee Science Foundation") is none."""
    gpe_texts = {e.text for e in doc.ents if e.label_ in ("GPE", "LOC")}
    full, single = _tagged_names(doc, lex, title_mask, gpe_texts)
    taken = {k for s, e in full for k in range(s, e)} | set(single)
    for finder in (_context_names, _comma_title_names, _title_first_names, _speaking_names, _listed_names):
        for s, e in finder(doc, lex, taken, title_mask, gpe_texts):
            full.append((s, e))
            taken.update(range(s, e))
            single = [k for k in single if not s <= k < e]
    full = [(s, _name_suffix(doc, s, e, lex)) for s, e in full if not _runs_into_a_name(doc, e, lex)]
    single = [k for k in single if not _runs_into_a_name(doc, k + 1, lex)]
    return full, single


def _tagged_names(doc: Doc, lex: Words, title_mask: list[bool],
                  gpe_texts: set[str]) -> tuple[list[tuple[int, int]], list[int]]:
    """Pass 1: the tagger's PERSON entities, and its ORG ones that the words after them show
    to be people."""
    full: list[tuple[int, int]] = []
    single: list[int] = []
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG"):
            continue
        s, e = ent.start, ent.end
        while s < e and (title_mask[s] or doc[s].lower_.rstrip(".") in lex.honorifics or doc[s].lower_ == "the"):
            s += 1
        while e > s and (title_mask[e - 1] or doc[e - 1].text in ("'s", "’s", "'", ",") or doc[e - 1].is_punct
                         and not _INITIAL.match(doc[e - 1].text) or doc[e - 1].lower_ in lex.post_nominals):
            e -= 1
        if e <= s:
            continue
        e = _name_tail(doc, s, e, lex)
        s = _particle_head(doc, s, e, lex, title_mask)
        s = _name_head(doc, s, e, lex, title_mask)
        if not person_shape_ok(doc[s:e], lex, gpe_texts):
            continue
        if s >= 2 and doc[s - 1].like_num and len(doc[s - 1].text) == 4 and doc[s - 2].lower_ == "the":
            continue  # "the 2024 Lin Hao Mathematical and Physical Sciences Award": an edition, no one
        if ent.label_ == "ORG" and not (e - s >= 2 and person_context(doc, s, e, lex)):
            continue  # the tagger's ORG is a person only where the sentence says so
        if e + 2 < len(doc) and doc[e].text == "(" and acronym_paren(doc, e) and \
                initials(doc[s:e].text, doc[e + 1].text):  # "Grow Harbor (GH)": an organisation
            doc.user_data.setdefault("kg_context_orgs", []).append((s, e))
            continue
        if _described_as_institution(doc, s, e, lex):  # "Baillie Vane, the Scottish fund house"
            doc.user_data.setdefault("kg_context_orgs", []).append((s, e))
            continue
        (full if e - s >= 2 else single).append((s, e) if e - s >= 2 else s)
    return full, single


def _described_as_institution(doc: Doc, s: int, e: int, lex: Words) -> bool:
    """A name in apposition to a definite or indefinite description whose head is an
    institution noun ("X Y, the Scottish fund house that ...", "X Y, a Lagos lender,"), not
    to a post ("X Y, the bank's chairman": the noun is a possessor there)."""
    if e + 2 >= len(doc) or doc[e].text != ",":
        return False
    for c in doc[e - 1].children:
        if c.dep_ == "appos" and c.i > e and c.lower_ in lex.generic_org_nouns and c.tag_ == "NN" \
                and any(d.dep_ == "det" for d in c.children) and not any(d.tag_ == "POS" for d in c.children):
            return True
    return False


def _comma_title_names(doc: Doc, lex: Words, taken: set[int], title_mask: list[bool],
                       gpe_texts: set[str]) -> list[tuple[int, int]]:
    """Pass 3: "P Q, chairman of X", "P Q, an X Group co-founder": two to four capitalised
    words before a comma and a title. A run the tagger calls a place counts when the article never uses it as one
    ("Hong Lei, Party secretary"), not where it does ("Harbor City, chairman ...")."""
    out = []
    for ts, _ in find_titles_cache(doc):
        k = ts - 1
        j = k
        while j > ts - 7 and j > 0 and (doc[j].ent_type_ == "ORG" or doc[j].text[:1].isupper()):
            j -= 1  # "P, an Infosys Ltd. co-founder": an institution before the title
        if j < k and doc[j].lower_ in ("a", "an", "the"):
            k = j
        while k > 0 and ts - k < 3 and doc[k].is_lower and doc[k].pos_ == "NOUN" and doc[k].head.i >= ts:
            k -= 1  # "P, a fund manager at X": a noun before the title
        if k > 0 and doc[k].lower_ in ("a", "an", "the"):
            k -= 1
        if k < 2 or not (doc[k].text == "," or doc[k].text in ("–", "—", "-") and doc[k - 1].whitespace_):
            continue  # "P, chairman", "• P – Founder and CEO"
        if doc[k - 1].text == ")":  # "P (class of 1976), former director of X"
            j = k - 2
            while j > 0 and k - j < 10 and doc[j].text != "(":
                j -= 1
            k = j if doc[j].text == "(" else k
        e, s = k, k
        while s > 0 and e - s < 4 and doc[s - 1].text[:1].isupper() and doc[s - 1].is_alpha and s - 1 not in taken \
                and not (s < e and doc[s].is_sent_start and doc[s - 1].text[-1:] in ".!?"):
            s -= 1
        if s < e and doc[s].lower_ in lex.not_names:
            s += 1  # "However Tenreh, country manager": a word that starts the sentence, not the name
        if e - s < 2 or s > 0 and doc[s - 1].text[:1].isupper() and doc[s - 1].is_alpha:
            continue
        span = doc[s:e]
        if any(t.ent_type_ in ("GPE", "LOC") for t in span) and _used_as_place(doc, span.text):
            continue
        if person_shape_ok(span, lex, gpe_texts - {span.text}):
            out.append((s, e))
            taken.update(range(s, e))
    return out


def _used_as_place(doc: Doc, text: str) -> bool:
    """Whether the article names ``text`` as a place somewhere not followed by ", title"."""
    titles = {s for s, _ in find_titles_cache(doc)}
    for ent in doc.ents:
        if ent.label_ in ("GPE", "LOC") and ent.text == text:
            k = ent.end
            if not (k + 1 < len(doc) and doc[k].text == "," and
                    (k + 1 in titles or k + 2 < len(doc) and doc[k + 1].lower_ in ("a", "an", "the") and k + 2 in titles)):
                return True
    return False


def _title_first_names(doc: Doc, lex: Words, taken: set[int], title_mask: list[bool],
                       gpe_texts: set[str]) -> list[tuple[int, int]]:
    """Pass 4: "Professor P Q of X", "Director P Q said": capitalised words after a title."""
    out = []
    for ts, te in find_titles_cache(doc):
        lower = not doc[te - 1].text[:1].isupper()
        if lower and not (te < len(doc) and doc[te].pos_ == "PROPN" and doc[te].ent_type_ == "ORG"):
            continue
        s = e = te
        while e < len(doc) and e - s < 3 and doc[e].text[:1].isupper() and e not in taken and \
                doc[e].text.replace("'", "").replace("-", "").isalpha() and (
                    doc[e].ent_type_ != "GPE" or not lower and _once_a_place(doc, e)) and (
                    doc[e].ent_type_ != "ORG" or lower and doc[e].lower_ not in lex.org_heads
                    and doc[e].lower_.rstrip(".") not in lex.legal_tails and not doc[e].text.isupper()):
            e += 1  # "investor Olumide Soyombo": a name the tagger calls an institution, after a post
        if e - s >= 2 and person_shape_ok(doc[s:e], lex, gpe_texts - {doc[s:e].text}) and \
                (e == len(doc) or not doc[e].text[:1].isupper()):
            out.append((s, e))
            taken.update(range(s, e))
    return out


def _once_a_place(doc: Doc, k: int) -> bool:
    """Whether the tagger's place at token k is named nowhere else in the text as a place:
    "President Lily Kong" once is a person; "Hong Kong" throughout is a place."""
    ent = next((e for e in doc.ents if e.start <= k < e.end), None)
    return ent is not None and sum(e.label_ in ("GPE", "LOC") and e.text == ent.text for e in doc.ents) == 1


def _bare_name(doc: Doc, tok, lex: Words, taken: set[int], title_mask: list[bool],
               gpe_texts: set[str], tags: tuple[str, ...] = ("", "PERSON")) -> tuple[int, int] | None:
    """The two or three capitalised words around ``tok`` (its flat compounds), when nothing
    claimed them, the tagger gave them one of ``tags``, and their shape is a person's."""
    s = min([tok.i] + [c.i for c in tok.children if c.dep_ == "compound" and c.i < tok.i])
    e = tok.i + 1
    span = doc[s:e]
    if not 2 <= len(span) <= 3 or any(t.i in taken or title_mask[t.i] or t.ent_type_ not in tags or
                                      not t.text[:1].isupper() or t.pos_ != "PROPN" for t in span):
        return None
    if s > 0 and doc[s - 1].text[:1].isupper() and doc[s - 1].is_alpha and not doc[s].is_sent_start:
        return None
    return (s, e) if person_shape_ok(span, lex, gpe_texts) else None


def _speaking_names(doc: Doc, lex: Words, taken: set[int], title_mask: list[bool],
                    gpe_texts: set[str]) -> list[tuple[int, int]]:
    """Pass 5: "P Q delivered a keynote on payments", "P Q told the audience": the untagged
    subject of a verb of speaking is a person."""
    verbs = set(lex.roles["speaker_verbs"]) | set(lex.roles["moderator_verbs"]) | {"deliver", "give", "present"}
    personal = set(lex.roles["personal_verbs"])  # what institutions rarely do: the tagger's ORG too
    out = []
    for tok in doc:
        lemma = tok.head.lemma_.lower()
        if tok.dep_ == "nsubj" and lemma in verbs and tok.head.pos_ == "VERB":
            found = _bare_name(doc, tok, lex, taken, title_mask, gpe_texts,
                               ("", "PERSON", "ORG") if lemma in personal else ("", "PERSON"))
            if found:
                out.append(found)
                taken.update(range(*found))
    return out


def _listed_names(doc: Doc, lex: Words, taken: set[int], title_mask: list[bool],
                  gpe_texts: set[str]) -> list[tuple[int, int]]:
    """Pass 6: "Ilse Varga, Tomas Ruiz and Mei Tanaka": untagged names in a list with a
    person the passes before found."""
    people = set(taken)
    out = []
    for tok in doc:
        if tok.pos_ != "PROPN" or tok.i in taken:
            continue
        mates = [c for c in tok.conjuncts if c.i in people]
        if not mates:
            continue
        found = _bare_name(doc, tok, lex, taken, title_mask, gpe_texts, ("", "PERSON", "ORG"))
        if found:
            out.append(found)
            taken.update(range(*found))
    return out


def _name_suffix(doc: Doc, s: int, e: int, lex: Words) -> int:
    """A name's end past "Jr." or ", Jr." ("Eli M. Quiroz, Jr.")."""
    k = e + (e < len(doc) and doc[e].text == ",")
    if k < len(doc) and doc[k].lower_ in _SUFFIX:
        return k + 1
    return e


def _runs_into_a_name(doc: Doc, e: int, lex: Words) -> bool:
    """Whether capitalised words right after a name (joined by "and" too) end in the head word
    of an institution or an event: the name is a part of its name ("Lin Hao Science Award
    Foundation", "the Lin Hao Mathematical and Physical Sciences Award")."""
    for k in range(e, min(e + 6, len(doc))):
        t = doc[k]
        if t.lower_ in ("and", "&") and k > e and k + 1 < len(doc) and doc[k + 1].text[:1].isupper():
            continue  # "X Mathematical and Physical Sciences Award"
        if not t.text[:1].isupper() or not t.is_alpha:
            return False
        if t.lower_ in lex.org_heads and t.lower_ not in lex.org_weak or t.lower_ in lex.event_heads \
                or t.lower_ in lex.award_heads:
            return True
    return False


def _name_tail(doc: Doc, s: int, e: int, lex: Words) -> int:
    """The end of a person's name the tagger cut short ("Ana Souza" of "Ana Souza Lima of
    X"): capitalised words that follow, up to two, when no other name claims them."""
    k = e
    while k < len(doc) and k - e < 2 and doc[k].text[:1].isupper() and doc[k].is_alpha and \
            doc[k].ent_type_ in ("", "PERSON") and doc[k].pos_ == "PROPN" and doc[k].whitespace_ != "" and \
            doc[k].lower_ not in lex.org_heads and not doc[k].is_sent_start and \
            not (k + 1 < len(doc) and doc[k + 1].text[:1].isupper() and doc[k + 1].is_alpha):
        k += 1
    return k


def _particle_head(doc: Doc, s: int, e: int, lex: Words, title_mask: list[bool]) -> int:
    """The start of a name the tagger began at its particle ("van Oranje" of "Constantijn van
    Oranje"): the capitalised given name before the particles, else the first word after them."""
    k = s
    while k < e - 1 and doc[k].text.islower() and doc[k].lower_ in lex.name_particles:
        k += 1
    if k == s:
        return s
    g = s - 1
    if g >= 0 and doc[g].text[:1].isupper() and doc[g].is_alpha and doc[g].pos_ == "PROPN" and not title_mask[g] \
            and doc[g].lower_.rstrip(".") not in lex.honorifics and doc[g].lower_ not in lex.not_names:
        return g
    return k


def _name_head(doc: Doc, s: int, e: int, lex: Words, title_mask: list[bool]) -> int:
    """The start of a person's name the tagger cut short ("Kowalczyk" of "Tomasz Kowalczyk"):
    one capitalised word before it that nothing else claims; at the start of a sentence only
    when a title follows the name after a comma ("Tomasz Kowalczyk, country manager, ...")."""
    k = s - 1
    titled_next = e + 1 < len(doc) and doc[e].text == "," and title_mask[e + 1]  # "X Y, country manager"
    if k >= 0 and e - s == 1 and doc[k].text[:1].isupper() and doc[k].is_alpha and doc[k].pos_ == "PROPN" \
            and doc[k].ent_type_ in ("", "PERSON") and not title_mask[k] \
            and (not doc[k].is_sent_start or titled_next and not doc[k].is_stop) \
            and doc[k].lower_.rstrip(".") not in lex.honorifics and doc[k].lower_ not in lex.org_heads \
            and doc[k].lower_ not in lex.months and doc[k].lower_ not in lex.weekdays \
            and not (k > 0 and doc[k - 1].text[:1].isupper() and doc[k - 1].is_alpha):
        return k
    return s


def _context_names(doc: Doc, lex: Words, taken: set[int], title_mask: list[bool],
                   gpe_texts: set[str]) -> list[tuple[int, int]]:
    """Pass 2: names the tagger missed, found by the words after them ("P of the X Bank", "P (X
    Bank)"): two or three capitalised words that no other mention claims."""
    out = []
    for tok in doc:
        k = tok.i
        if not (tok.lower_ in ("of", "from") or tok.text == "(") or k < 2:
            continue
        for size in (3, 2):
            s = k - size
            if s < 0 or any(i in taken or title_mask[i] for i in range(s, k)):
                continue
            span = doc[s:k]
            if not all(t.text[:1].isupper() and t.is_alpha and t.pos_ == "PROPN" and
                       t.ent_type_ in ("", "PERSON", "ORG", "NORP") for t in span):
                continue
            if s > 0 and (doc[s - 1].text[:1].isupper() and doc[s - 1].is_alpha and not doc[s].is_sent_start
                          or doc[s - 1].text in ("'s", "’s", "-")
                          or doc[s - 1].lower_ in lex.connectors and doc[s - 1].lower_ != "and"
                          and s > 1 and doc[s - 2].text[:1].isupper()):
                continue  # the end of a longer name: "Institute of Applied Finance (IAF)"
            if doc[s].lower_.rstrip(".") in lex.honorifics or not person_shape_ok(span, lex, gpe_texts):
                continue
            if person_context(doc, s, k, lex):
                out.append((s, k))
                break
    return out


def person_context(doc: Doc, s: int, e: int, lex: Words) -> bool:
    """Whether the words around a name say it names a person: "P of the X Bank", "P (X
    Bank)", "P from X", "P, 45,", or a title right after ("P, chief economist")."""
    n = len(doc)
    k = e
    if k < n and doc[k].lower_ in ("of", "from", "at") and k + 1 < n:
        j = k + 1 + (doc[k + 1].lower_ == "the")
        return j < n and doc[j].text[:1].isupper() and _org_like(doc, j, lex)
    if k + 1 < n and doc[k].text == "(":
        j = k + 1 + (doc[k + 1].lower_ == "the")
        if j + 1 < n and doc[j + 1].text == ")" and initials(doc[s:e].text, doc[j].text):
            return False  # "Grow Harbor (GH)": the name's own acronym
        return j < n and doc[j].text[:1].isupper() and (_org_like(doc, j, lex) or doc[j].ent_type_ == "ORG")
    if k + 1 < n and doc[k].text == ",":
        j = k + 1 + (doc[k + 1].lower_ in ("a", "an", "the"))
        return j < n and doc[j].lower_ in lex.title_heads | lex.title_mods
    return False


def _org_like(doc: Doc, j: int, lex: Words) -> bool:
    """Tokens from j on name an institution: an organisation head word within a few words."""
    for t in doc[j:min(j + 8, len(doc))]:
        if t.lower_ in lex.org_heads:
            return True
        if not (t.text[:1].isupper() or t.lower_ in lex.connectors) or t.text in (")", ","):
            break
    return doc[j].ent_type_ == "ORG"
