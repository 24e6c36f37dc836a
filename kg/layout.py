"""Where each entity stands on the graph page, computed once when the page is written.

The page opens on a picture, not on a simulation: every linked entity gets its place here,
so the browser draws at once and nothing moves (vis-network's physics stays off). Each
connected component is laid out on its own with a force-directed layout (Fruchterman and
Reingold: links pull, every pair of nodes pushes, hubs harder, as in ForceAtlas2; numpy,
seeded, so the same graph gives the same places), scaled to one link length, loosened where
nodes sit too close for their labels, turned so that its long side runs across, and the
components are packed in rows, largest first. Entities without links are set apart below
the picture in a grid, one block per class, in label order: the page hides them until asked.

Positions are canvas units of vis-network (about pixels at zoom 1), rounded to whole units."""
from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np

LINK = 110.0  # typical link length
GAP = 90.0  # between components
SPREAD = 85.0  # nodes of a component closer than this are pushed apart
CELL = (170.0, 64.0)  # the grid of unlinked entities: column width, row height
SEED = 7
BLOCK = 128  # rows of the pairwise repulsion computed at once (bounds memory)
ASPECT = 1.5  # the packed picture's width over its height, about a screen's


@dataclass(frozen=True)
class Heading:
    """A caption drawn on the canvas above a block of the layout."""

    text: str
    x: float
    y: float


def _iterations(n: int) -> int:
    return 300 if n <= 60 else 150 if n <= 400 else 80


def _repulsion(pos: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Every pair pushes apart with force w_i w_j / d (Fruchterman and Reingold's k^2/d, k = 1,
    weighted as in ForceAtlas2, so that the many neighbours of a hub spread around it):
    summed per node in blocks of rows, in float32 (twice as fast, precise enough here)."""
    x, y = pos[:, 0].astype(np.float32), pos[:, 1].astype(np.float32)
    w = weight.astype(np.float32)
    out = np.zeros_like(pos)
    for start in range(0, len(pos), BLOCK):
        dx = x[start:start + BLOCK, None] - x[None, :]
        dy = y[start:start + BLOCK, None] - y[None, :]
        inv = dx * dx
        inv += dy * dy
        np.maximum(inv, np.float32(1e-4), out=inv)
        np.reciprocal(inv, out=inv)
        inv *= w[None, :]
        out[start:start + BLOCK, 0] = (dx * inv).sum(axis=1) * w[start:start + BLOCK]
        out[start:start + BLOCK, 1] = (dy * inv).sum(axis=1) * w[start:start + BLOCK]
    return out


def force_layout(n: int, edges: np.ndarray, seed: int = SEED) -> np.ndarray:
    """Positions (n x 2) of a connected graph of ``n`` nodes with ``edges`` (m x 2 indices),
    in units of the ideal link length."""
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[-0.5, 0.0], [0.5, 0.0]])
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1.0, 1.0, size=(n, 2)) * math.sqrt(n)
    degree = np.bincount(edges.ravel(), minlength=n).astype(float)
    weight = np.sqrt(degree + 1.0)
    src, dst = edges[:, 0], edges[:, 1]
    # links of hubs are longer: room for their many neighbours around them
    length = 1.0 + 0.2 * np.sqrt(np.maximum(degree[src], degree[dst]) - 1.0)
    steps = _iterations(n)
    temperature = math.sqrt(n) / 4
    cool = temperature / (steps + 1)
    for _ in range(steps):
        disp = _repulsion(pos, weight)
        delta = pos[src] - pos[dst]
        pull = delta * (np.sqrt((delta ** 2).sum(axis=1)) / length)[:, None]  # d^2/k along the link
        np.subtract.at(disp, src, pull)
        np.add.at(disp, dst, pull)
        size = np.maximum(np.sqrt((disp ** 2).sum(axis=1)), 1e-9)
        pos += disp * (np.minimum(size, temperature) / size)[:, None]
        temperature -= cool
    return pos


def spread(pos: np.ndarray, least: float, rounds: int = 8) -> np.ndarray:
    """Push apart the nodes closer than ``least`` (half the shortfall each, a few rounds):
    room for labels where the force layout packed nodes tight."""
    pos = pos.copy()
    for _ in range(rounds):
        x, y = pos[:, 0].astype(np.float32), pos[:, 1].astype(np.float32)
        push = np.zeros_like(pos)
        for start in range(0, len(pos), BLOCK):
            dx = x[start:start + BLOCK, None] - x[None, :]
            dy = y[start:start + BLOCK, None] - y[None, :]
            dist = np.sqrt(dx * dx + dy * dy)
            short = np.maximum(np.float32(least) - dist, 0)
            np.maximum(dist, np.float32(1e-3), out=dist)
            factor = short / dist / 2
            push[start:start + BLOCK, 0] = (dx * factor).sum(axis=1)
            push[start:start + BLOCK, 1] = (dy * factor).sum(axis=1)
        if not push.any():
            break
        pos += push
    return pos


def _upright(pos: np.ndarray) -> np.ndarray:
    """Centre a layout and turn it so that its long side runs across (the main axis of its
    points horizontal, signs fixed so the result does not depend on the eigen solver)."""
    pos = pos - pos.mean(axis=0)
    if len(pos) < 3:
        return pos
    _, vectors = np.linalg.eigh(np.cov(pos.T))
    axes = vectors[:, ::-1]  # largest variance first
    for i in range(2):
        if axes[np.argmax(np.abs(axes[:, i])), i] < 0:
            axes[:, i] = -axes[:, i]
    return pos @ axes


def _scaled(pos: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """The layout scaled so that its median link is LINK long."""
    if len(edges) == 0:
        return pos * LINK
    lengths = np.sqrt(((pos[edges[:, 0]] - pos[edges[:, 1]]) ** 2).sum(axis=1))
    median = float(np.median(lengths))
    return pos * (LINK / median if median > 1e-9 else LINK)


def _pack(boxes: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Centres for boxes (width, height) packed in rows, in the order given, each row
    centred on x = 0, rows going down from y = 0; the rows are about ASPECT times wider
    than the whole is high."""
    if not boxes:
        return []
    area = sum((w + GAP) * (h + GAP) for w, h in boxes)
    width = max(max((w for w, _ in boxes), default=0.0), math.sqrt(area * ASPECT))
    rows: list[list[int]] = [[]]
    used = 0.0
    for i, (w, _) in enumerate(boxes):
        if rows[-1] and used + w > width:
            rows.append([])
            used = 0.0
        rows[-1].append(i)
        used += w + GAP
    centres: list[tuple[float, float]] = [(0.0, 0.0)] * len(boxes)
    top = 0.0
    for row in rows:
        height = max(boxes[i][1] for i in row)
        total = sum(boxes[i][0] for i in row) + GAP * (len(row) - 1)
        x = -total / 2
        for i in row:
            w = boxes[i][0]
            centres[i] = (x + w / 2, top + height / 2)
            x += w + GAP
        top += height + GAP
    return centres


def positions(g: nx.Graph, order: Sequence[Hashable], groups: Sequence[tuple[str, str]],
              group_of: dict[Hashable, str]) -> tuple[dict[Hashable, tuple[int, int]], list[Heading]]:
    """Places for every node of the simple undirected graph ``g``.

    ``order`` lists the nodes in the page's order (it breaks every tie, so the layout does
    not depend on how networkx happens to store the graph). Nodes without links go to a grid
    below the picture, one block per group of ``groups`` ((key, caption) pairs, in order;
    ``group_of`` gives each node's key), with a Heading over each block."""
    rank = {node: i for i, node in enumerate(order)}
    linked = [n for n in order if g.degree(n) > 0]
    comps = [sorted(c, key=rank.__getitem__) for c in nx.connected_components(g.subgraph(linked))]
    comps.sort(key=lambda c: (-len(c), rank[c[0]]))
    shapes = []
    for comp in comps:
        index = {node: i for i, node in enumerate(comp)}
        edges = np.array(sorted((min(index[u], index[v]), max(index[u], index[v]))
                                for u, v in g.subgraph(comp).edges()), dtype=int).reshape(-1, 2)
        shapes.append(_upright(spread(_scaled(force_layout(len(comp), edges), edges), SPREAD)))
    boxes = [(float(np.ptp(p[:, 0])) + LINK, float(np.ptp(p[:, 1])) + LINK) for p in shapes]
    out: dict[Hashable, tuple[int, int]] = {}
    bottom = 0.0
    for comp, shape, (cx, cy), (_, h) in zip(comps, shapes, _pack(boxes), boxes):
        middle = (shape.max(axis=0) + shape.min(axis=0)) / 2
        for node, (x, y) in zip(comp, shape - middle):
            out[node] = (round(cx + x), round(cy + y))
        bottom = max(bottom, cy + h / 2)
    headings = _grid([n for n in order if g.degree(n) == 0], groups, group_of, out,
                     top=bottom + 2 * GAP if out else 0.0,
                     width=max([abs(x) for x, _ in out.values()] + [4 * CELL[0]]) * 2)
    return out, headings


def _grid(nodes: list[Hashable], groups: Sequence[tuple[str, str]], group_of: dict[Hashable, str],
          out: dict[Hashable, tuple[int, int]], top: float, width: float) -> list[Heading]:
    """Unlinked nodes in rows under a heading per group; fills ``out``."""
    columns = max(4, int(width // CELL[0]))
    left = -(columns - 1) * CELL[0] / 2
    headings = []
    for key, caption in groups:
        members = [n for n in nodes if group_of[n] == key]
        if not members:
            continue
        headings.append(Heading(f"{caption} ({len(members):,})", round(left - CELL[0] / 2), round(top)))
        top += CELL[1]
        for i, node in enumerate(members):
            row, col = divmod(i, columns)
            out[node] = (round(left + col * CELL[0]), round(top + row * CELL[1]))
        top += (math.ceil(len(members) / columns) + 1) * CELL[1]
    return headings
