"""The tasks of a cluster build, as they run on a worker. Each is a plain function of picklable
arguments that reads its input from the shared folders (the articles, the extraction cache,
the work folder) and leaves its output there, so that running it twice (a retry, a task
rerun after its worker died) gives the same files. kg.cluster.plan sends them in waves."""
from __future__ import annotations

from pathlib import Path

from .. import io
from ..cache import ExtractionCache
from ..errors import ClusterError, KGError
from ..resolve import Node
from . import keys
from .assemble import Member, apply_links, build_clusters, link_candidates, mint
from .exchange import Exchange
from .stages import STAGES, ArticleSide, run_block

ArticleRef = tuple[str, str]  # (sha256, file name)


def _sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- reading and extraction ---------------------------------------------------------------------
def _read(path: str, chars: int):
    """An article as a local build reads it: decoded, cleaned, cut to ``chars`` characters."""
    return io.truncated(io.read_article(Path(path)), chars)


def read_files(paths: list[str], chars: int) -> list[tuple]:
    """(path, name, sha256, note, None) for each readable article, (path, None, None, None,
    reason) for the others."""
    out = []
    for path in paths:
        try:
            art = _read(path, chars)
        except KGError as exc:
            out.append((path, None, None, None, str(exc)))
            continue
        out.append((path, art.name, _sha(art.text), art.describe(), None))
    return out


def extract_files(items: list[tuple[str, str, str]], cache_root: str, version: str, chars: int,
                  seconds: float | None) -> list[tuple]:
    """Extract the articles (path, name, sha256) the shared cache lacks, and cache them.
    Returns (sha256, "cached" | "extracted" | None, error) for each."""
    from ..workers import extract_texts

    cache = ExtractionCache(Path(cache_root), version)
    out, todo = [], []
    for path, name, sha in items:
        if cache.get(sha, name) is not None:
            out.append((sha, "cached", None))
            continue
        try:
            text = _read(path, chars).text
        except KGError as exc:
            out.append((sha, None, str(exc).removeprefix(f"{path}: ")))
            continue
        if _sha(text) != sha:
            out.append((sha, None, "changed while the build ran"))
            continue
        todo.append((sha, name, text))
    for outcome in extract_texts([(name, text) for _, name, text in todo], 1, seconds=seconds):
        sha = todo[outcome.index][0]
        if outcome.extraction is None:
            out.append((sha, None, outcome.error or "extraction failed"))
            continue
        cache.put(outcome.extraction)
        out.append((sha, "extracted", None))
    return out


# -- resolution: the article side ------------------------------------------------------------
def start_articles(ex: Exchange, part: int, articles: list[ArticleRef], cache_root: str,
                   version: str) -> int:
    """Load a partition's extractions from the cache, keep what resolution reads of them,
    send every node that has a same-name block to its block, and every later stage's
    signatures (with this partition's number) to that stage's components task."""
    side = ArticleSide()
    full = {}
    for sha, name in articles:
        full[sha] = doc = _extraction(cache_root, version, sha, name)
        side.add(doc)
    ex.keep_fixed(f"docs-{part}", side.docs)
    ex.remember(f"full-{part}", full)  # for this partition's graphs, if they run here
    ex.keep(f"articles-{part}", side)
    stage = STAGES[0]
    ex.scatter("blk-0-0", f"{part:05d}", (
        (block, side.record(node, ent, i, doc, relations=False))
        for node, ent, i, doc in side.nodes(stage.kinds)
        if (block := keys.block(ent)) is not None))
    for k, stage in enumerate(STAGES):
        if stage.blocked:
            ex.send(f"sig-{k}", f"{part:05d}", {0: [(part, sig) for sig in sorted(set(side.signatures(stage)))]})
    return len(side.docs)


def _extraction(cache_root: str, version: str, sha: str, name: str):
    doc = ExtractionCache(Path(cache_root), version).get(sha, name)
    if doc is None:
        raise ClusterError(f"{name}: its extraction is missing from the cache {cache_root}")
    return doc


def stage_articles(ex: Exchange, part: int, k: int, merge: str | None, pass_: int) -> None:
    """Take the last stage's outcome (``merge``: its wave) and send stage k's records to the
    partitions of their components (pass ``pass_``'s map)."""
    side = _side(ex, part)
    if merge is not None:
        side.merge(ex.receive(merge, part))
        ex.keep(f"articles-{part}", side)
    where = dict(ex.receive(f"map-{k}-{pass_}", part))
    by_part: dict[int, list] = {}
    for head, rec in side.records(STAGES[k]):
        if head in where:
            by_part.setdefault(where[head], []).append(rec)
    ex.send(f"blk-{k}-{pass_}", f"{part:05d}", by_part)


def _side(ex: Exchange, part: int) -> ArticleSide:
    side: ArticleSide = ex.recall(f"articles-{part}")
    side.docs = ex.recall_fixed(f"docs-{part}")
    return side


# -- resolution: blocks ---------------------------------------------------------------------------
def components(ex: Exchange, derived: list[str], k: int, pass_: int) -> int:
    """The components of stage k's signatures (and of the readings blocks have ``derived``):
    tell each article partition the block partition of each of its anchors. Returns how
    many components there are."""
    from .exchange import part_of

    static = ex.receive(f"sig-{k}", 0)
    comp = keys.components([sig for _, sig in static] + [sig for w in derived for sig in ex.receive(w, 0)])
    where: dict[int, dict[str, int]] = {}
    for part, sig in static:
        head = sig[0][0]
        if head in comp:
            where.setdefault(part, {})[head] = part_of(comp[head], ex.parts)
    ex.send(f"map-{k}-{pass_}", "00000", {p: sorted(m.items()) for p, m in where.items()})
    return len(set(comp.values()))


def block(ex: Exchange, part: int, k: int, pass_: int) -> int:
    """Run stage k's rules over one block partition; send each node's cluster back to its
    article's partition (and the organisations' spelled-out readings to the components)."""
    records = ex.receive(f"blk-{k}-{pass_}", part)
    results, derived = run_block(STAGES[k], records)
    ex.scatter(f"out-{k}-{pass_}", f"{part:05d}", ((r[0][0], r) for r in results))
    ex.send(f"der-{k}-{pass_}", f"{part:05d}", {0: derived})
    return len(derived)


# -- assembly -----------------------------------------------------------------------------------
def send_members(ex: Exchange, part: int, merge: str) -> None:
    """Take the last stage's outcome; send every node to its cluster's partition."""
    side = _side(ex, part)
    side.merge(ex.receive(merge, part))
    members = []
    for node, ent, _, doc in side.nodes(frozenset(k for s in STAGES for k in s.kinds)):
        root = side.roots[node]
        members.append((root, (root, Member(node, ent, doc.article, doc.published, side.links.get(node, [])))))
    ex.scatter("members", f"{part:05d}", members)


def build_part(ex: Exchange, part: int) -> int:
    """Build the entities of one partition's clusters; send their key drafts by family."""
    received = ex.receive("members", part)
    built, drafts = build_clusters([m for _, m in received])
    ex.keep(f"built-{part}", built)
    ex.scatter("drafts", f"{part:05d}", ((d.family, d) for d in drafts))
    return len(built)


def mint_part(ex: Exchange, part: int) -> None:
    """Mint the keys of whole families; send each to its cluster's partition."""
    keyed = mint(ex.receive("drafts", part))
    ex.scatter("keys", f"{part:05d}", ((root, (root, key)) for root, key in keyed.items()))


def name_part(ex: Exchange, part: int) -> None:
    """Give each entity its key; send every member's key to its article's partition."""
    built = ex.recall(f"built-{part}")
    for root, key in ex.receive("keys", part):
        built[root].entity.key = key
    ex.keep(f"built-{part}", built)
    ex.scatter("node-keys", f"{part:05d}", (
        (node[0], (node, b.entity.key, root)) for root, b in built.items() for node in b.members))


def article_graphs(ex: Exchange, part: int, articles: list[ArticleRef], cache_root: str,
                   version: str, base: str) -> int:
    """Each article's named graph (from its full extraction and its entities' keys); the
    links each entity gives (location, parents) sent to the entities' partitions."""
    from ..rdf import article_triples

    full = ex.recollect(f"full-{part}") or {}
    keyed: dict[str, dict[str, str]] = {}
    roots: dict[Node, Node] = {}
    for node, key, root in ex.receive("node-keys", part):
        keyed.setdefault(node[0], {})[node[1]] = key
        roots[node] = root
    graphs, candidates = [], []
    for sha, name in sorted(articles, key=lambda a: (a[1], a[0])):
        doc = full.get(sha) or _extraction(cache_root, version, sha, name)
        candidates += [(root, (root, cand)) for root, cand in link_candidates(doc, keyed.get(sha, {}), roots)]
        graphs.append((name, sha, *article_triples(doc, keyed.get(sha, {}), base)))
    ex.scatter("links", f"{part:05d}", candidates)
    ex.keep(f"graphs-articles-{part}", _interned(graphs))
    return len(graphs)


def entity_graphs(ex: Exchange, part: int, base: str, sha_of: dict[str, str]) -> int:
    """The entity graph's triples of one partition's entities, links set."""
    from ..rdf import entity_triples

    built = ex.recall(f"built-{part}")
    for root, cand in ex.receive("links", part):
        built[root].candidates.append(cand)
    names: dict[str, str] = {}
    for b in built.values():
        apply_links(b)
        for name, sha in b.sha_of.items():
            names[name] = min(names.get(name, sha), sha)
    names.update(sha_of)  # a file name several articles share: the first sha, corpus-wide
    entities = sorted((b.entity for b in built.values()), key=lambda e: e.key)
    ex.keep(f"graphs-entities-{part}", _interned([(entity_triples(entities, names, base),)])[0][0])
    return len(entities)


def _interned(graphs: list) -> list:
    """The graphs with every repeated RDF term one object: pickled once, rebuilt once by
    the client (a term recurs ten times on average)."""
    terms: dict = {}
    out = []
    for graph in graphs:
        *head, triples = graph
        out.append((*head, [tuple(terms.setdefault(t, t) for t in triple) for triple in triples]))
    return out


def check_worker(folder: str, version: str) -> str | None:
    """Why this worker cannot take part in a build (other kg code, the work folder out of
    reach), or None."""
    from ..cache import pipeline_version

    if pipeline_version() != version:
        return f"runs other kg code (version {pipeline_version()}, the client's {version})"
    if not io.is_file(Path(folder) / "client.txt"):
        return f"cannot see the shared folder {folder}"
    return None
