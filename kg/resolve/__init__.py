"""Resolution: the one step that sees all articles. It clusters the per-article entities into
real-world entities, keeps their aliases, records why it merged what it merged, and mints
stable keys from normalised names, so that rebuilding the same articles gives the same IRIs.

- ``clusters``: the clusters of mentions and the entities (keys, labels, merges) made of them;
- ``rules``: the merge rules, in the order they run (docs/resolution.md explains them);
- ``names``: name forms, pure functions of strings (acronyms, initials, cores, variants).

Extraction has its own ``kg.extract.names``: that one finds names in a spaCy Doc; this one
relates two names already found. "Resolve" means this stage only; ``kg.extract.dates.resolve``
(a relative date against the dateline) and ``kg.query.resolve_query`` (a query's name to its
file) keep the verb in its plain sense."""
from __future__ import annotations

from ..model import ArticleExtraction
from .clusters import Clusters, Link, Merge, MergeReason, Node, Resolution, ResolvedEntity, assemble, normal_key
from .names import slug
from .rules import RULES

__all__ = ["Clusters", "Link", "Merge", "MergeReason", "Node", "Resolution", "ResolvedEntity", "assemble",
           "normal_key", "resolve", "slug"]


def resolve(extractions: list[ArticleExtraction]) -> Resolution:
    """Cluster mentions across articles and mint stable keys."""
    docs = sorted(extractions, key=lambda x: (x.article, x.sha256))
    clusters = Clusters(docs)
    for rule in RULES:
        rule(clusters)
    return assemble(docs, clusters)
