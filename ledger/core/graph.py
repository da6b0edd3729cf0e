"""Small graph helpers for flows between sources (a DAG once validated)."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Hashable, Iterable


def topological_order(
    nodes: Iterable[Hashable], edges: Iterable[tuple[Hashable, Hashable]]
) -> tuple[list[Hashable], set[Hashable]]:
    """Kahn's algorithm: (order of the nodes outside cycles, nodes left over)."""
    nodes = set(nodes)
    successors: dict[Hashable, set[Hashable]] = defaultdict(set)
    indegree: dict[Hashable, int] = dict.fromkeys(nodes, 0)
    for a, b in set(edges):
        nodes.update((a, b))
        indegree.setdefault(a, 0)
        if b not in successors[a]:
            successors[a].add(b)
            indegree[b] = indegree.get(b, 0) + 1
    ready = deque(sorted((n for n, d in indegree.items() if d == 0), key=str))
    order: list[Hashable] = []
    while ready:
        node = ready.popleft()
        order.append(node)
        for nxt in sorted(successors[node], key=str):
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    return order, set(indegree) - set(order)


def cycle_edges(edges: list[tuple[Hashable, Hashable]]) -> set[tuple[Hashable, Hashable]]:
    """The edges that lie on a cycle (both ends keep being reachable from each other)."""
    if not edges:
        return set()
    _, left = topological_order([], edges)
    _, left_rev = topological_order([], [(b, a) for a, b in edges])
    core = left & left_rev
    return {(a, b) for a, b in edges if a in core and b in core}


def chain_cycles(follows: dict[str, str]) -> set[str]:
    """The members of every cycle in chains where each key points to one next key
    (a revision to the row it revises, a need to the need it is within)."""
    in_cycle: set[str] = set()
    for start in follows:
        seen, step = [start], follows.get(start)
        while step is not None and step not in seen:
            seen.append(step)
            step = follows.get(step)
        if step is not None:  # back at a key already on the way: a cycle
            in_cycle.update(seen[seen.index(step):])
    return in_cycle


def cycle_words(ids: Iterable[object], most: int = 12) -> str:
    """The ids of a cycle for a message, in order, the first `most` of them: one
    string every row of the cycle shares (a cycle of 100,000 rows once made each of
    its 1,000 messages list all of them)."""
    names = sorted(str(i) for i in ids)
    return " → ".join(names[:most]) + (f" → … ({len(names)})" if len(names) > most else "")
