"""Named graphs of a knowledge graph: one per article, one for the resolved entities, one
for the inferred triples and one for the ontology. The store, ``kg push`` and the export of
named graphs all use this one split.

An article's graph holds what that article states: the article node, every statement
(affiliation, participation, organizing, observation) whose ``kgo:statedIn`` is the article,
their evidence spans and their values. The entity graph holds what resolution concluded
across articles (types, labels, aliases, links, merge decisions). The split is computed from
the asserted graph itself, so a graph loaded from Turtle splits the same as a fresh build."""
from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from .graphs import KnowledgeGraph
from .vocab import KGO, ONTOLOGY_IRI

Triple = tuple[object, object, object]


@dataclass(frozen=True)
class GraphNames:
    """The IRIs of kg's named graphs under one base."""

    base: str

    @property
    def entities(self) -> URIRef:
        return URIRef(f"{self.base}graph/entities")

    @property
    def inferred(self) -> URIRef:
        return URIRef(f"{self.base}graph/inferred")

    @property
    def ontology(self) -> URIRef:
        return URIRef(ONTOLOGY_IRI)

    def article(self, article: URIRef) -> URIRef:
        """The graph of an article node ``{base}article/<id>``: ``{base}graph/article/<id>``."""
        text = str(article)
        local = text[len(self.base):] if text.startswith(self.base) else text.rsplit("/", 1)[-1]
        return URIRef(f"{self.base}graph/{local}")

    def is_article_graph(self, graph: URIRef) -> bool:
        return str(graph).startswith(f"{self.base}graph/article/")


def split_asserted(asserted: Graph, names: GraphNames) -> dict[URIRef, list[Triple]]:
    """The asserted triples, by named graph (articles' graphs and the entity graph)."""
    owner: dict[object, URIRef] = {}
    for article in asserted.subjects(RDF.type, KGO.Article):
        owner[article] = names.article(article)
    for statement, article in asserted.subject_objects(KGO.statedIn):
        graph = owner.get(article) or names.article(article)
        owner[statement] = graph
        for span in asserted.objects(statement, KGO.evidence):
            owner[span] = graph
        for value in asserted.objects(statement, KGO.hasValue):
            owner[value] = graph
    for span, article in asserted.subject_objects(KGO.inArticle):
        owner.setdefault(span, owner.get(article) or names.article(article))
    graphs: dict[URIRef, list[Triple]] = {names.entities: []}
    for triple in asserted:
        graphs.setdefault(owner.get(triple[0], names.entities), []).append(triple)
    return graphs


def named_graphs(kg: KnowledgeGraph) -> dict[URIRef, list[Triple]]:
    """Every named graph of a knowledge graph: articles, entities, inferred, ontology."""
    names = GraphNames(kg.base)
    graphs = split_asserted(kg.asserted, names)
    graphs[names.inferred] = list(kg.inferred)
    graphs[names.ontology] = list(kg.ontology)
    return graphs
