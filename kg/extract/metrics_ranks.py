"""Ranks as news text states them: "ranked third", "keeps first place", "climbing one place to
ninth", "tied for sixth place", "the top five cities are A, B, C, D and E", "followed in order
by A, B and C", "A, B and C follow in that order", "A, B and C take the first three in order",
"A (No. 4)", and superlatives: "more X than any other city", "the fastest rate of any district",
"the seventh most traded stock", "among the ten biggest investors", "remains the largest market"."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model import Kind
from .metrics_mentions import Mentions
from .numbers import lexicon, line_start, numbered_item, ordinal_value, word_number

_SEPARATORS = {",", "and", "the", ";", "&", ":"}


@dataclass
class Rank:
    subjects: list[str]  # entity ids sharing the rank
    value: int
    start: int  # token span of the evidence
    end: int


def _entity_list(mentions: Mentions, i: int, stop: int, step: int) -> list[tuple[str, int, int]]:
    """Consecutive entity mentions from token i towards ``stop`` (step +1 or -1), separated by
    commas or "and", skipping parenthetical glosses: [(entity id, first token, end)]."""
    doc = mentions.doc
    found: list[tuple[str, int, int]] = []
    while (step > 0 and i < stop) or (step < 0 and i > stop):
        tok = doc[i]
        if tok.lower_ in _SEPARATORS:
            i += step
            continue
        if tok.text == ("(" if step > 0 else ")"):
            close = ")" if step > 0 else "("
            j = i
            while (step > 0 and j < stop or step < 0 and j > stop) and doc[j].text != close:
                j += step
            i = j + step
            continue
        eid = mentions.entity(tok)
        if eid is None or mentions.registry.get(eid).kind not in (Kind.PLACE, Kind.ORGANIZATION):
            break
        j = i
        while (step > 0 and j + 1 < stop or step < 0 and j - 1 > stop) and \
                mentions.entity(doc[j + step]) == eid:
            j += step
        first, last = min(i, j), max(i, j)
        if not found or found[-1][0] != eid:
            found.append((eid, first, last + 1))
        i = j + step
    return found if step > 0 else found[::-1]


def list_ranks(mentions: Mentions, sent, last_rank: int, prior: list[Rank]) -> list[Rank]:
    """Rankings given as a list: "the top N ... are A, B, C", or a list that "follows" (in order)
    the last rank stated (``prior`` ranks of this sentence before it, else ``last_rank``),
    continuing its numbering."""
    doc, out = mentions.doc, []
    lex = lexicon().words
    for tok in sent:
        if tok.lower_ == "top" and tok.i + 1 < sent.end:
            nxt = doc[tok.i + 1]
            n = int(nxt.text) if nxt.is_digit else (word_number(doc, tok.i + 1) or (0,))[0]
            be = next((t for t in doc[tok.i + 1:sent.end] if t.lemma_ == "be"), None)
            items = []
            if n and be is not None and be.i - tok.i <= 6:  # "the top five cities are A, B, ..."
                items = _entity_list(mentions, be.i + 1, sent.end, 1)
            elif n and tok.i - 2 > sent.start and doc[tok.i - 1].lower_ == "the" and \
                    doc[tok.i - 2].lemma_ in ("be", "rank", "remain"):  # "A, B and C were the top three"
                items = _entity_list(mentions, tok.i - 3, sent.start - 1, -1)
                items = items if len(items) == n else []
            if 2 <= len(items) <= n:
                out += [Rank([eid], k + 1, s, e) for k, (eid, s, e) in enumerate(items)]
                last_rank = len(items)
        elif tok.lower_ in ("top", "first") and tok.i + 1 < sent.end and any(
                t.lower_ == "order" and doc[t.i - 1].lower_ in ("in", "that") for t in doc[tok.i:sent.end]):
            n = (word_number(doc, tok.i + 1) or (0,))[0] if not doc[tok.i + 1].is_digit else int(doc[tok.i + 1].text)
            verb = tok.head
            while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
                verb = verb.head
            items = _entity_list(mentions, verb.i - 1, sent.start - 1, -1) if verb.i > tok.i - 4 else []
            if n and len(items) == n >= 2:  # "A, B, C, D and E occupy the first five in order"
                out += [Rank([eid], k + 1, s, e) for k, (eid, s, e) in enumerate(items)]
                last_rank = n
        elif tok.lemma_ in lex["follow_verbs"] and tok.pos_ == "VERB":
            after = doc[tok.i + 1:min(sent.end, tok.i + 4)]
            if any(t.lower_ == "by" for t in after):
                start = next(t.i for t in after if t.lower_ == "by") + 1
                items = _entity_list(mentions, start, sent.end, 1)
            elif any(t.lower_ == "order" for t in after) or tok.dep_ == "ROOT":
                items = _entity_list(mentions, tok.i - 1, sent.start - 1, -1)
            else:
                continue
            before = [r.value for r in prior if r.start < tok.i]
            last_rank = max(before) if before else last_rank
            if last_rank and len(items) >= 2:
                out += [Rank([eid], last_rank + k + 1, s, e) for k, (eid, s, e) in enumerate(items)]
                last_rank += len(items)
    return out


def numbered_ranks(mentions: Mentions, sent) -> list[Rank]:
    """A numbered list of places or institutions: "Top five: 1. Lakeport; 2. Norvale; 3. Port
    Alder" (two or more items numbered in order)."""
    doc, found = mentions.doc, []
    for tok in sent:
        if not (tok.is_digit and len(tok.text) <= 2 and tok.i + 2 < sent.end and doc[tok.i + 1].text == "."):
            continue
        eid = mentions.entity(doc[tok.i + 2])
        if eid and mentions.registry.get(eid).kind in (Kind.PLACE, Kind.ORGANIZATION):
            found.append(Rank([eid], int(tok.text), tok.i, tok.i + 3))
    values = [r.value for r in found]
    if len(found) >= 2 and values == list(range(values[0], values[0] + len(values))):
        return found
    if len(found) == 1 and found[0].start == _first_word(doc, sent.start) and (
            _item_value(doc, sent.start, -1) == values[0] - 1 or _item_value(doc, sent.end, 1) == values[0] + 1):
        return found  # one item a line: "1. Lakeport - 92.46" / "2. Norvale - 90.13"
    return []


def _first_word(doc, k: int) -> int:
    while k < len(doc) and doc[k].is_space:
        k += 1
    return k


def _item_value(doc, k: int, step: int) -> int | None:
    """The number of the numbered line just before (step -1, from token k, a line start) or
    just after (step 1, from token k, a line end) a line."""
    if step < 0:
        k -= 1
        while k > 0 and doc[k].is_space:
            k -= 1
        k = line_start(doc, k)
    return numbered_item(doc, _first_word(doc, k))


def ordinal_ranks(mentions: Mentions, sent, taken: set[int],
                  lead_in: Callable[[int], str | None] | None = None) -> list[Rank]:
    """Ranks stated with an ordinal: "ranked third", "to ninth", "in 10th", "first place",
    "ranked No. 1", "took the top spot"; with no subject in the sentence, a bulleted "- 13th
    place worldwide" is about what ``lead_in`` says its list is about."""
    doc, out = mentions.doc, []
    if any(t.lower_ == "respectively" for t in sent):
        return _respectively(mentions, sent)
    cues = {"no", "no.", "number", "top"}
    for tok in sent:
        low = tok.lower_
        if low not in cues and tok.lemma_ != "top" and ordinal_value(tok) is None:
            continue
        found = _ordinal_rank(doc, sent, tok)
        if found is None or found[1].i in taken or mentions.owner[found[1].i] is not None:
            continue
        value, num = found
        glossed = mentions.entity(doc[tok.i - 2]) if tok.i - 2 >= sent.start and doc[tok.i - 1].text == "(" else None
        if glossed and mentions.registry.get(glossed).kind in (Kind.PLACE, Kind.ORGANIZATION):
            out.append(Rank([glossed], value, tok.i - 2, num.i + 1))  # "Lakeport (No. 4)"
            continue
        tok = num
        subjects = _subject_before(mentions, sent, tok.i)
        if not subjects and lead_in is not None and (listed := lead_in(tok.i)):
            nxt = tok.i + 1 < sent.end and doc[tok.i + 1].lemma_.lower() in lexicon().words["rank_nouns"]
            subjects = [(listed, tok.i + nxt)]  # evidence: "13th place"
        for eid, at in subjects:  # evidence: "Rivertown keeps first"
            out.append(Rank([eid], value, min(at, tok.i), max(at, tok.i) + 1))
    return out


def _respectively(mentions: Mentions, sent) -> list[Rank]:
    """"A, B and C ranked first, second and third respectively": pair the two lists, or
    nothing when they differ in length."""
    ordinals = [(t, ordinal_value(t)) for t in sent if ordinal_value(t) is not None and t.lower_ != "top"
                and (t.i + 1 >= sent.end or sent.doc[t.i + 1].pos_ not in ("NOUN", "NUM", "ADJ"))]
    if len(ordinals) < 2:
        return []
    subjects = _subject_before(mentions, sent, ordinals[0][0].i)
    if len(subjects) != len(ordinals):
        return []
    return [Rank([eid], value, min(at, tok.i), tok.i + 1)
            for (eid, at), (tok, value) in zip(subjects, ordinals)]


def _ordinal_rank(doc, sent, tok):
    """(rank, token) when ``tok`` states a rank, else None."""
    lex = lexicon().words
    nxt = doc[tok.i + 1] if tok.i + 1 < sent.end else None
    prev = doc[tok.i - 1] if tok.i > sent.start else None
    j = tok.i + 2 if nxt is not None and nxt.text == "." else tok.i + 1
    number = doc[j].text.removesuffix(")") if j < sent.end else ""  # "(No. 8)," may keep its ")" on the 8
    if tok.lower_ in ("no.", "no", "number") and number.isdigit() and prev is not None \
            and (prev.lemma_.lower() in lex["rank_verbs"] or prev.lower_ in ("at", "to", "as", "(")):
        return int(number), doc[j]
    if tok.lower_ == "top" and nxt is not None and nxt.lemma_.lower() in lex["rank_nouns"]:
        return 1, tok
    if tok.lemma_ == "top" and tok.pos_ == "VERB" and any(  # "Rivertown topped the index"
            c.dep_ == "dobj" and c.lemma_.lower() in lex["work_nouns"] for c in tok.children):
        return 1, tok
    value = ordinal_value(tok)
    if value is None or nxt is not None and nxt.text == "-" and tok.whitespace_ == "":
        return None  # "first-round", "second-tier"
    if prev is not None and prev.lower_ == "the" and prev.i > sent.start:
        prev = doc[prev.i - 1]
    if nxt is not None and nxt.lemma_.lower() in lex["rank_nouns"]:
        return value, tok
    if (nxt is None or nxt.pos_ not in ("NOUN", "PROPN", "ADJ", "NUM")) and prev is not None \
            and (prev.lower_ in ("to", "in", "at", "from", ":") or prev.lemma_.lower() in lex["rank_verbs"]
                 or prev.pos_ == "PROPN" and prev.head.lemma_.lower() in lex["object_rank_verbs"]):  # "ranks X first",
        # "leaving X fourth nationally"
        return value, tok
    return None


def _subject_before(mentions: Mentions, sent, i: int) -> list[tuple[str, int]]:
    """The subject of the verb the ordinal hangs from, else the nearest place or organisation
    before token i in the sentence, with the entities it is joined to by "and" ("Lakeport and
    Norvale tied for sixth place"): [(entity id, token)]."""
    doc = mentions.doc
    verb = doc[i]
    for _ in range(4):  # up to the verb: "climb ... to the fourth spot"
        if verb.pos_ in ("VERB", "AUX") and verb.dep_ != "amod" or verb.head.i == verb.i:
            break  # not "listed" in "more listed companies"
        verb = verb.head
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    subj = subj if subj is not None or verb.dep_ != "ROOT" else mentions.fragment_before(sent)
    if verb.lemma_ == "rank" and verb.pos_ == "VERB":  # "the report ranks Lakeport first"
        subj = next((c for c in verb.children if c.dep_ == "dobj" and c.i < i), subj)
    if subj is not None and subj.lower_ == "it":  # "Rivertown's capital grew, helping it to climb"
        subj = next((t for t in reversed(doc[sent.start:subj.i]) if mentions.entity(t)), None)
    if subj is not None and subj.i < i:
        found: dict[str, int] = {}
        for t in (subj, *subj.conjuncts):
            eid = mentions.entity(t) or (mentions.anaphor(t) if t.pos_ == "NOUN" else None)  # "the district"
            if eid and mentions.registry.get(eid).kind in (Kind.PLACE, Kind.ORGANIZATION):
                first = t.i
                while first > sent.start and mentions.entity(doc[first - 1]) == eid:
                    first -= 1  # "Port Alder", not "Alder"
                found.setdefault(eid, first)
        if found:
            return list(found.items())
    fragment = mentions.fragment_before(sent)
    first = fragment.sent.start if fragment is not None else sent.start
    for j in range(i - 1, max(first, i - 16) - 1, -1):
        eid = mentions.entity(doc[j])
        if eid is None or mentions.registry.get(eid).kind not in (Kind.PLACE, Kind.ORGANIZATION):
            continue
        head = doc[j]
        while head.i - 1 > first and mentions.entity(doc[head.i - 1]) == eid:
            head = doc[head.i - 1]
        group = [(eid, head.i)]
        if head.i - 2 >= first and doc[head.i - 1].lower_ == "and":
            other = mentions.entity(doc[head.i - 2])
            if other and other != eid:
                group.insert(0, (other, head.i - 2))
        return group
    return []


_SUPERLATIVE_TAGS = ("JJS", "RBS")


def superlative_ranks(mentions: Mentions, sent, taken: set[int]) -> list[Rank]:
    """Ranks a comparison states: first for "more unicorns than any other country", "the
    fastest rate of any district", "top among cities", "A remains the largest market"; N for
    "the seventh most traded", "second-largest", "among the ten biggest". Tokens in ``taken``
    already gave a rank. The subject is the one an ordinal's would be."""
    doc, out = mentions.doc, []
    for tok in sent:
        if tok.i in taken:
            continue
        value, end = _superlative(doc, sent, tok)
        if value is None:
            continue
        for eid, at in _subject_before(mentions, sent, tok.i):
            out.append(Rank([eid], value, min(at, tok.i), end))
        taken.update(range(tok.i, end))
    return out


def _superlative(doc, sent, tok) -> tuple[int | None, int]:
    """(rank, end of the evidence) when a comparison starts at ``tok``, else (None, 0)."""
    nxt = doc[tok.i + 1] if tok.i + 1 < sent.end else None
    low = tok.lower_
    if tok.tag_ in ("JJR", "RBR") and low != "less":  # "more X ... than any other Y"
        for t in doc[tok.i + 1:min(sent.end, tok.i + 14)]:
            if t.lower_ == "than":
                if t.i + 1 < sent.end and doc[t.i + 1].lower_ == "any":
                    return 1, _noun_end(doc, sent, t.i + 2)
                break
        return None, 0
    if low == "top" and nxt is not None and nxt.lower_ == "among":  # "top among cities in the west"
        return 1, nxt.i + 1
    if low == "among" and nxt is not None and nxt.lower_ == "the" and tok.i + 3 < sent.end:
        count = doc[tok.i + 2]
        n = int(count.text) if count.is_digit else (word_number(doc, count.i) or (None,))[0]
        if n and n >= 2 and doc[count.i + 1].tag_ in _SUPERLATIVE_TAGS:  # "among the ten biggest investors"
            return int(n), _noun_end(doc, sent, count.i + 1)
        return None, 0
    value = ordinal_value(tok)
    if value is not None and low != "top" and nxt is not None:  # "the seventh most", "second-largest"
        k = nxt.i + (nxt.text == "-" and tok.whitespace_ == "")
        if k < sent.end and (doc[k].tag_ in _SUPERLATIVE_TAGS or doc[k].lower_ == "most") and k > tok.i:
            return value, _noun_end(doc, sent, k)
        return None, 0
    if tok.tag_ not in _SUPERLATIVE_TAGS or tok.i == sent.start or doc[tok.i - 1].lower_ != "the":
        return None, 0
    if ordinal_value(doc[tok.i - 1]) is not None or tok.i >= 2 and doc[tok.i - 2].lower_ == "of":
        return None, 0  # "one of the largest"
    end = _noun_end(doc, sent, tok.i)
    if end + 1 < sent.end and doc[end].lower_ == "of" and doc[end + 1].lower_ == "any":
        return 1, _noun_end(doc, sent, end + 2)  # "the fastest rate of any district"
    verb = doc[tok.i - 1].head if doc[tok.i - 1].head.i != tok.i else tok.head
    verb = verb if verb.pos_ in ("AUX", "VERB") else verb.head
    if verb.lemma_ in ("be", "remain", "become") and verb.i < tok.i and not any(
            t.lower_ in ("one", "among") for t in doc[max(sent.start, tok.i - 3):tok.i]):
        return 1, end  # "Brazil remains the largest market", "WeLab's was the largest"
    return None, 0


def _noun_end(doc, sent, k: int) -> int:
    """End of the words from token k up to and including the noun they lead to (at most six)."""
    for t in doc[k:min(sent.end, k + 6)]:
        if t.pos_ in ("NOUN", "PROPN"):
            return t.i + 1
        if t.pos_ not in ("ADJ", "ADV", "DET", "PUNCT") or t.text in (",", ";"):
            break
    return k + 1
