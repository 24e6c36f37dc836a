"""A synthetic corpus of science-and-technology finance news for benchmarks.

Templated sentences in the genre (forums and their sub-forums, officials with titles and
affiliations, signings, report releases, funding and growth figures, rankings), filled with
invented names: people from generated syllables, institutions and places from generated
stems, never names from the real corpus. Deterministic for a seed; a shared pool of people
and institutions makes entities recur across articles, as they do in the news."""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

_SYL = ("ba bei bo chang chen cui da dong fa fei gao guo han hao hui jia jin kai lan lei "
        "li lin lu mei ming nan ning pei qi qiao rui shan shao tai tang wei wen xia xin yan "
        "yao yi ying yu zan zhao zhen zhu").split()
_FAMILY = ("Bao Cen Dai Fu Ge Hua Jiang Kang Lou Mo Ning Pan Qu Rong Shi Tao Wu Xue Yan Zuo "
           "Aldane Brisco Corvel Dantry Elwyn Farrow Gresham Holloway Ingram Jessop Kettle "
           "Lowther Marlow Norcott").split()
_GIVEN_W = "Ada Bram Celia Dorian Esme Fenn Greta Hollis Ines Jory Kit Lorne Mira Nils Odile".split()
_STEMS = ("Qinglan Heyuan Baishan Lumen Tianrui Xinghe Yunqiao Jinshui Donglin Nanfeng Arvona "
          "Belmora Corwen Delmarsh Eastmere Fallowby Glenrith Harwick").split()
_FIELDS = ("Science and Technology", "Fintech", "Innovation", "Digital Finance", "Green Finance",
           "Industrial Technology", "Venture Finance")
_ORG_FORMS = ("{s} University", "{s} Institute of {f}", "{s} {f} Association", "{s} Capital",
              "{s} Bank", "{s} Securities", "{s} {f} Research Center", "{s} Municipal Bureau of {f}",
              "{s} Daily", "{s} Holdings Group", "{s} Venture Partners", "{s} {f} Fund")
_TITLES = ("president", "vice president", "deputy director", "director", "chairman",
           "secretary-general", "dean", "chief economist", "professor", "founder and CEO",
           "general manager", "researcher", "editor-in-chief", "partner")
_EVENT_FORMS = ("{year} {s} {f} Forum", "{year} {s} {f} Summit", "{s} {f} Conference {year}",
                "{year} {s} International {f} Expo")
_SUB_FORMS = ("{f} Sub-forum", "Roundtable on {f}", "{f} Parallel Session")
_BACKGROUND = (
    "Officials said the {place} government would expand its guidance fund and simplify "
    "approval for cross-border investment in hard technology.",
    "Participants noted that patents, data and other intangible assets are still hard to "
    "pledge as collateral, which limits lending to young companies.",
    "Several speakers argued that insurance and credit guarantees should share the risk that "
    "banks take on when they lend to research-driven firms.",
    "The organizers said the event drew delegations from more than a dozen countries and "
    "regions, as well as representatives of local universities.",
    "Analysts at the meeting expected the region's technology lending to keep growing as "
    "new listing rules make it easier for start-ups to go public.",
)
_MEASURES = ("raised", "attracted investment of", "reported revenue of", "issued loans of",
             "set up a fund of")


@dataclass(frozen=True)
class Article:
    name: str
    text: str


def _person(rng: random.Random) -> str:
    if rng.random() < 0.75:
        given = rng.choice(_SYL).capitalize() + (rng.choice(_SYL) if rng.random() < 0.7 else "")
        return f"{rng.choice(_FAMILY)} {given}"
    return f"{rng.choice(_GIVEN_W)} {rng.choice(_FAMILY)}"


def _org(rng: random.Random) -> str:
    return rng.choice(_ORG_FORMS).format(s=rng.choice(_STEMS), f=rng.choice(_FIELDS))


class Generator:
    """Articles from a seed; people, institutions and events drawn from shared pools."""

    def __init__(self, seed: int = 7, pool: int = 400) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        self.people = sorted({_person(rng) for _ in range(pool)})
        self.orgs = sorted({_org(rng) for _ in range(pool // 2)})
        self.places = sorted({f"{s} {k}" for s in _STEMS for k in ("City", "New District", "Province")})
        self.events = sorted({rng.choice(_EVENT_FORMS).format(year=rng.randint(2019, 2025),
                                                              s=rng.choice(_STEMS), f=rng.choice(_FIELDS))
                              for _ in range(max(8, pool // 8))})

    def article(self, index: int) -> Article:
        rng = self.rng
        event, place = rng.choice(self.events), rng.choice(self.places)
        sub = rng.choice(_SUB_FORMS).format(f=rng.choice(_FIELDS))
        year = rng.randint(2019, 2025)
        month = rng.choice(("March", "April", "June", "September", "November"))
        cast = [(rng.choice(self.people), rng.choice(_TITLES), rng.choice(self.orgs)) for _ in range(rng.randint(3, 6))]
        lines = [f"{event.split(' ', 1)[-1] if event[0].isdigit() else event} opens in {place} with focus on {rng.choice(_FIELDS).lower()}",
                 "", f"By {rng.choice(self.people)}", ""]
        lines.append(f"The {event} opened in {place} on {month} {rng.randint(1, 28)}, {year}, "
                     f"bringing together officials, investors and researchers to discuss how "
                     f"{rng.choice(_FIELDS).lower()} can serve the real economy.")
        for who, title, org in cast:
            form = rng.randrange(4)
            if form == 0:
                lines.append(f"{who}, {title} of {org}, said at the forum that long-term capital "
                             f"should back early-stage technology companies.")
            elif form == 1:
                lines.append(f"\"Finance must follow innovation,\" said {who}, {title} of {org}, "
                             f"who spoke at the {sub}.")
            elif form == 2:
                lines.append(f"Speaking at the {sub}, {who}, {title} at {org}, called for better "
                             f"data sharing between banks and start-ups.")
            else:
                lines.append(f"{who} of {org} moderated a panel on intellectual property financing.")
            if rng.random() < 0.5:
                lines.append(f"{org} {rng.choice(_MEASURES)} {rng.randint(2, 950)}.{rng.randint(0, 9)} "
                             f"{rng.choice(('million', 'billion'))} yuan in {year - 1}, up "
                             f"{rng.randint(1, 40)}.{rng.randint(0, 9)} percent year on year.")
        lines[5:5] = [t.format(place=place) for t in rng.sample(_BACKGROUND, 3)]
        a, b = rng.sample(self.orgs, 2)
        lines.append(f"During the forum, {a} and {b} signed a strategic cooperation agreement "
                     f"on technology finance, witnessed by {cast[0][0]}.")
        lines.append(f"{rng.choice(self.orgs)} released the {place.split()[0]} {rng.choice(_FIELDS)} "
                     f"Index {year}, which ranked {place} No. {rng.randint(1, 20)} among "
                     f"{rng.randint(20, 60)} cities.")
        lines.append(f"The forum was hosted by {rng.choice(self.orgs)} and co-organized by "
                     f"{rng.choice(self.orgs)}. More than {rng.randint(3, 30) * 100} guests attended.")
        body = lines[:4] + ["\n\n".join(" ".join(lines[i:i + 3]) for i in range(4, len(lines), 3))]
        return Article(name=f"synthetic-{index:05d}.txt", text="\n".join(body) + "\n")

    def corpus(self, size: int) -> list[Article]:
        return [self.article(i) for i in range(size)]


def words(articles: list[Article]) -> int:
    return sum(len(a.text.split()) for a in articles)


def write_corpus(folder: Path, articles) -> None:
    """Write generated articles into ``folder``, one file each."""
    from kg.io import write_atomic

    folder.mkdir(parents=True, exist_ok=True)
    for art in articles:
        write_atomic(folder / art.name, art.text)
