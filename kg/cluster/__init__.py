"""Builds beyond one machine: `kg build --cluster tcp://HOST:PORT` on Dask distributed.

Reading, extraction, resolution and the per-article and entity graphs run as tasks on the
cluster's workers (kg.cluster.waves, sent by kg.cluster.plan through kg.cluster.runner);
resolution runs in partitions, blocked by normalised keys (kg.cluster.keys,
kg.cluster.stages, kg.cluster.assemble), so that no process holds every mention. Workers
pass data through a shared folder (kg.cluster.exchange). The client reasons over and writes
the graphs as a local build does: the same input gives the same Turtle, byte for byte."""
from __future__ import annotations

from .plan import ArticleRef, ClusterBuild
from .runner import ClusterError, Runner, Tally

__all__ = ["ArticleRef", "ClusterBuild", "ClusterError", "Runner", "Tally"]
