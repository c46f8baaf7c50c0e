"""The round's solvers: which disjoint candidate pairs pair the most people, then give the best score.

Exact: a maximum-weight matching (rustworkx, integer weights = score x 1000) on the non-bipartite
candidate graph; by default among the matchings that pair the most people (maximum cardinality),
with `most_people=False` the highest total score however many are left out. Above
rounds.EXACT_LIMIT eligible members the exact solver takes minutes, so the round comes from
large_pool_pairs (see its docstring and the README for the measured cost).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import rustworkx as rx


def max_weight_pairs(edges: pd.DataFrame, *, most_people: bool = True) -> pd.DataFrame:
    """The disjoint pairs pairing the most people with the best total score among those (exact,
    deterministic for the same edges); with most_people=False, the best total score alone."""
    if edges.empty:
        return edges.head(0)
    ordered = edges.sort_values(["a", "b"]).reset_index(drop=True)
    nodes = np.unique(np.concatenate([ordered["a"].to_numpy(), ordered["b"].to_numpy()]))
    index = {int(n): i for i, n in enumerate(nodes)}
    graph = rx.PyGraph()
    graph.add_nodes_from(nodes.tolist())
    weights = np.rint(ordered["score"].to_numpy() * 1000).astype(np.int64)
    graph.add_edges_from(
        [(index[int(x)], index[int(y)], int(w)) for x, y, w in zip(ordered["a"], ordered["b"], weights)]
    )
    matching = rx.max_weight_matching(graph, max_cardinality=most_people, weight_fn=lambda w: w)
    picked = {tuple(sorted((int(nodes[u]), int(nodes[v])))) for u, v in matching}
    keep = [(int(x), int(y)) in picked for x, y in zip(ordered["a"], ordered["b"])]
    return ordered[keep].sort_values(["score", "a"], ascending=[False, True]).reset_index(drop=True)


def large_pool_pairs(edges: pd.DataFrame, *, most_people: bool = True) -> pd.DataFrame:
    """Near-optimal pairs for very large pools (see double_cover_bound for how near).

    The bipartite double cover (every member on both sides, every candidate edge both ways, plus a
    member-to-itself edge meaning "unmatched") is solved exactly and fast by scipy; its solution is a
    set of 2-cycles (pairs) and longer cycles, each rounded to its best matching; members left over
    are then matched exactly among themselves with rustworkx. With most_people (the default) every
    step prefers pairing more people before a higher score: each edge of the cover carries a bonus
    larger than any score difference, a cycle is rounded to its largest matching, and the leftover
    matching has maximum cardinality. Nearly, not provably, the most people: an odd cycle must leave
    one member out, and no augmenting path across the kept pairs is searched (the benchmark reports
    the pairs against the exact solver's).
    """
    if edges.empty:
        return edges.head(0)
    partner, nodes, _ = _double_cover(edges, most_people=most_people, spread=True)
    edge_of = _edge_to_partner(edges, partner, nodes)
    # a bonus above any cycle's total score makes a larger matching on a cycle always win
    weight = edges["score"].to_numpy() + (100.0 * len(nodes) + 1 if most_people else 0.0)
    picked, seen = [], np.zeros(len(nodes), dtype=bool)
    for start in range(len(nodes)):
        if seen[start]:
            continue
        cycle = [start]
        seen[start] = True
        while not seen[partner[cycle[-1]]]:
            cycle.append(partner[cycle[-1]])
            seen[cycle[-1]] = True
        if len(cycle) > 1:
            picked += _best_on_cycle([int(edge_of[u]) for u in cycle], weight, closed=len(cycle) > 2)
    chosen = edges.iloc[sorted(set(picked))]
    used = set(chosen["a"]) | set(chosen["b"])
    rest = edges[~edges["a"].isin(used) & ~edges["b"].isin(used)]
    both = pd.concat([chosen, max_weight_pairs(rest, most_people=most_people)])
    if most_people:
        both = augmented(edges, both)
    settled = nodes[(partner != np.arange(len(nodes))) & (partner[partner] == np.arange(len(nodes)))]
    both = polished(edges, both, np.setdiff1d(nodes, settled), most_people=most_people)
    return both.sort_values(["score", "a"], ascending=[False, True]).reset_index(drop=True)


def polished(
    edges: pd.DataFrame, chosen: pd.DataFrame, unsure: np.ndarray, *, most_people: bool, near: int = 5
) -> pd.DataFrame:
    """The matching re-solved exactly around the members whose pairs the relaxation left unsure.

    `unsure` are the members not in a two-member cycle of the double cover (on a longer cycle, or
    unmatched there). The region is them, each one's `near` best-scored neighbours, and the current
    partners of all of these (so no kept pair crosses the region's border); the pairs inside it are
    chosen again by the exact solver and kept when that is better (it never is worse: the current pairs
    inside the region are one of its answers). `near` = 5 by measurement at 20,000 members: 10 gained 0.15
    points of 680,896 for 0.4 s more, 20 another 2.5 points for 1.7 s more."""
    if len(unsure) == 0 or chosen.empty:
        return chosen
    ends = pd.DataFrame(
        {
            "m": np.concatenate([edges["a"].to_numpy(), edges["b"].to_numpy()]),
            "o": np.concatenate([edges["b"].to_numpy(), edges["a"].to_numpy()]),
            "score": np.concatenate([edges["score"].to_numpy(), edges["score"].to_numpy()]),
        }
    )
    ends = ends[ends["m"].isin(unsure)].sort_values(["m", "score", "o"], ascending=[True, False, True])
    region = np.union1d(unsure, ends.groupby("m").head(near)["o"].to_numpy())
    mate = pd.concat([chosen.set_index("a")["b"], chosen.set_index("b")["a"]])
    region = np.union1d(region, mate.reindex(region).dropna().to_numpy().astype(region.dtype))
    inside = edges[edges["a"].isin(region) & edges["b"].isin(region)]
    now = chosen[chosen["a"].isin(region)]
    again = max_weight_pairs(inside, most_people=most_people)
    if (len(again) if most_people else 0, again["score"].sum()) <= (len(now) if most_people else 0, now["score"].sum()):
        return chosen
    return pd.concat([chosen[~chosen["a"].isin(region)], again])


def augmented(edges: pd.DataFrame, chosen: pd.DataFrame, *, depth: int = 4, budget: int = 4000) -> pd.DataFrame:
    """The matching with every short augmenting path found flipped: one more pair each time (u - v = w - x
    becomes u = v - w = x). A path alternates candidate edges outside and inside the matching, from one member
    left out to another; each search follows at most `depth` kept pairs and visits at most `budget` members,
    best-scored edges first (deterministic). No blossoms are shrunk, so a path through an odd cycle can be
    missed: the benchmark compares the pairs with the exact solver's."""
    neighbours = _Neighbours(edges)
    mate = {}
    for x, y in zip(chosen["a"].tolist(), chosen["b"].tolist()):
        mate[x], mate[y] = y, x
    flipped = False
    for start in neighbours.nodes.tolist():
        if start in mate:  # matched from the start, or meanwhile as the far end of an earlier path
            continue
        path = _augmenting_path(start, neighbours, mate, depth, budget)
        if path:
            for x, y in zip(path[::2], path[1::2]):
                mate[x], mate[y] = y, x
            flipped = True
    if not flipped:
        return chosen
    pairs = pd.DataFrame({"a": [x for x, y in mate.items() if x < y], "b": [y for x, y in mate.items() if x < y]})
    return edges.merge(pairs, on=["a", "b"])


class _Neighbours:
    """Each member's candidates, best score first (ties by id), from flat arrays: no Python object per edge.
    Only the members a search reaches are sorted, when first reached (a few thousand of 20,000)."""

    def __init__(self, edges: pd.DataFrame) -> None:
        a, b, weight = edges["a"].to_numpy(), edges["b"].to_numpy(), edges["score"].to_numpy()
        ends = np.concatenate([a, b])
        order = np.argsort(ends, kind="stable")
        self._ends = ends[order]
        self._others, self._weights = np.concatenate([b, a])[order], np.concatenate([weight, weight])[order]
        self.nodes = np.flatnonzero(np.bincount(ends)) if len(ends) else ends  # ids are >= 0
        self._sorted: dict[int, list[int]] = {}

    def get(self, node: int, default=()) -> list[int]:
        found = self._sorted.get(node)
        if found is None:
            first, last = np.searchsorted(self._ends, [node, node + 1])
            others = self._others[first:last]
            found = others[np.lexsort((others, -self._weights[first:last]))].tolist()
            self._sorted[node] = found
        return found if found else list(default)


def _augmenting_path(start: int, neighbours: _Neighbours, mate: dict, depth: int, budget: int) -> list[int] | None:
    parent, frontier, seen = {start: None}, [start], 1
    for _ in range(depth + 1):
        following = []
        for x in frontier:
            for y in neighbours.get(x):
                if y in parent:
                    continue
                if y not in mate:
                    path, node = [y], x
                    while node is not None:
                        path.append(node)
                        node = parent[node]
                    return path[::-1]
                z = mate[y]
                if z in parent:
                    continue
                parent[y], parent[z] = x, y
                following.append(z)
                seen += 2
                if seen > budget:
                    return None
        frontier = following
    return None


def _edge_to_partner(edges: pd.DataFrame, partner: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """For each node of the cover, the row of the edge to its partner (-1 when matched to itself), in one lookup."""
    index = pd.MultiIndex.from_arrays(
        [np.minimum(edges["a"], edges["b"]).to_numpy(), np.maximum(edges["a"], edges["b"]).to_numpy()]
    )
    moved = np.flatnonzero(partner != np.arange(len(nodes)))
    ends_a, ends_b = nodes[moved], nodes[partner[moved]]
    found = index.get_indexer(pd.MultiIndex.from_arrays([np.minimum(ends_a, ends_b), np.maximum(ends_a, ends_b)]))
    edge_of = np.full(len(nodes), -1, dtype=np.int64)
    edge_of[moved] = found
    return edge_of


def double_cover_bound(edges: pd.DataFrame) -> float:
    """An upper bound on the best possible total score: half the double cover's optimum."""
    if edges.empty:
        return 0.0
    _, _, total = _double_cover(edges)
    return total / 2


def _double_cover(
    edges: pd.DataFrame, *, most_people: bool = False, spread: bool = False
) -> tuple[np.ndarray, np.ndarray, float]:
    """(partner of each node in the cover's optimum, the nodes' ids, the optimum's total score over both sides).

    spread: break ties among equal scores with a fixed small amount per edge (below a thousandth of a point,
    from the two ids: deterministic), which makes scipy's solver about a fifth faster on communities with
    many equal scores; the total returned is then NaN (double_cover_bound, which needs it, does not spread).
    """
    from scipy import sparse
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    nodes = np.unique(np.concatenate([edges["a"].to_numpy(), edges["b"].to_numpy()]))
    ia, ib = np.searchsorted(nodes, edges["a"].to_numpy()), np.searchsorted(nodes, edges["b"].to_numpy())
    n = len(nodes)
    # +2 on real edges and 1 on "unmatched" keep every entry non-zero; scores are in thousandths.
    weights = np.rint(edges["score"].to_numpy() * 1000) + 2
    if spread:
        a, b = edges["a"].to_numpy().astype(np.uint64), edges["b"].to_numpy().astype(np.uint64)
        weights = weights * _SPREAD + ((a * np.uint64(2654435761) + b * np.uint64(40503)) % np.uint64(_SPREAD))
    # most_people: every member covered outweighs any total score (exact in float64 up to ~10^15)
    bonus = float(n) * (weights.max() + 1) if most_people else 0.0
    matrix = sparse.csr_matrix(
        (
            np.concatenate([weights + bonus, weights + bonus, np.ones(n)]),
            (np.concatenate([ia, ib, np.arange(n)]), np.concatenate([ib, ia, np.arange(n)])),
        ),
        shape=(n, n),
    )
    rows, cols = min_weight_full_bipartite_matching(matrix, maximize=True)
    partner = np.empty(n, dtype=np.int64)
    partner[rows] = cols
    chosen = np.asarray(matrix[np.arange(n), partner]).ravel()
    total = float(np.where(partner == np.arange(n), 0, chosen - bonus - 2).sum()) / 1000
    return partner, nodes, float("nan") if spread else total


_SPREAD = 64  # tie-breaking steps per thousandth of a point (see _double_cover)


def _best_on_cycle(rows: list[int], weight: np.ndarray, *, closed: bool) -> list[int]:
    if not closed:
        return rows[:1]
    options = [_best_on_path(rows[1:], weight), _best_on_path(rows[:-1], weight)]
    return max(options, key=lambda chosen: sum(weight[r] for r in chosen))


def _best_on_path(rows: list[int], weight: np.ndarray) -> list[int]:
    best: list[tuple[float, list[int]]] = [(0.0, []), (0.0, [])]
    for row in rows:
        take = (best[-2][0] + weight[row], best[-2][1] + [row])
        best.append(max(best[-1], take, key=lambda option: option[0]))
    return best[-1][1]
