"""Needs inside needs (`within`): a family counts once. Its need is
[max(parent.low, Σ child.low), max(parent.high, Σ child.high)] (each child itself a
family), money into any member covers it, and only the families' heads count in the
totals. A need whose size no one states adds nothing to a family's need; a family
none of whose members states a size states none."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Families:
    parent: np.ndarray  # each need's parent among the needs in view (-1: a head)
    need_low: np.ndarray  # each need with everything within it
    need_high: np.ndarray
    stated: np.ndarray  # some member of the need's family states a size
    covered_low: np.ndarray  # money into the need or anything within it
    covered_high: np.ndarray

    @property
    def head(self) -> np.ndarray:
        return self.parent < 0


def families(need_rows: pd.DataFrame, cov_low: np.ndarray, cov_high: np.ndarray) -> Families:
    """Each need with everything within it, from the needs in view (a need whose
    parent is not in view heads its own family)."""
    own_low = need_rows["value_low"].to_numpy(dtype=float)
    own_high = need_rows["value_high"].to_numpy(dtype=float)
    stated = ~np.isnan(own_low)
    within = need_rows["within"] if "within" in need_rows.columns else None
    if within is None or not (within != "").any():
        return Families(np.full(len(own_low), -1), own_low, own_high, stated,
                        np.asarray(cov_low, dtype=float), np.asarray(cov_high, dtype=float))
    parent = pd.Index(need_rows["id"]).get_indexer(within)  # -1: none, or not in view
    depth = _depths(parent)
    need_low, need_high = np.where(stated, own_low, 0.0), np.where(stated, own_high, 0.0)
    children_low, children_high = np.zeros(len(parent)), np.zeros(len(parent))
    has_children = np.zeros(len(parent), dtype=bool)
    covered_low = np.array(cov_low, dtype=float)
    covered_high = np.array(cov_high, dtype=float)
    stated = stated.copy()
    for node in np.argsort(-depth, kind="stable"):  # the deepest first: children done
        if has_children[node]:
            need_low[node] = max(need_low[node], children_low[node])
            need_high[node] = max(need_high[node], children_high[node])
        up = parent[node]
        if up >= 0:
            has_children[up] = True
            children_low[up] += need_low[node]
            children_high[up] += need_high[node]
            covered_low[up] += covered_low[node]
            covered_high[up] += covered_high[node]
            stated[up] |= stated[node]
    need_low = np.where(stated, need_low, np.nan)
    need_high = np.where(stated, need_high, np.nan)
    return Families(parent, need_low, need_high, stated, covered_low, covered_high)


def _depths(parent: np.ndarray) -> np.ndarray:
    """How many needs each need is within (the reader refuses cycles)."""
    depth = np.full(len(parent), -1)
    for start in range(len(parent)):
        path, node = [], start
        while node >= 0 and depth[node] < 0 and node not in path:
            path.append(node)
            node = parent[node]
        base = depth[node] if node >= 0 and depth[node] >= 0 else -1
        for step in reversed(path):
            base += 1
            depth[step] = base
    return depth


def heads(parent: np.ndarray) -> np.ndarray:
    """Each need's family head (its own position when it heads one), from each need's
    parent (-1: none)."""
    head = np.arange(len(parent))
    for _ in range(len(parent)):  # a chain is at most as long as the needs are many
        up = parent[head]
        if not (up >= 0).any():
            break
        head = np.where(up >= 0, up, head)
    return head


def parents_of(needs: pd.DataFrame) -> np.ndarray:
    """Each need's parent among `needs` (its `within`; -1: none, or not among them)."""
    return pd.Index(needs["id"]).get_indexer(needs["within"])


def family_members(needs: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """(head's name, the names of every need within it, at any depth) for each family
    of more than one need."""
    head = heads(parents_of(needs))
    names = needs["name"].to_numpy(dtype=object)
    members: dict[int, list[str]] = {}
    for node, top in enumerate(head):
        if top != node:
            members.setdefault(int(top), []).append(str(names[node]))
    return [(str(names[top]), inner) for top, inner in members.items()]
