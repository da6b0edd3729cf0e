"""The Sankey diagram's nodes and links as a view: donor bloc → source → need (or
"not allocated") → industry bloc, each link an interval. `present.charts.sankey`
only draws it; what a node or a link is, and how money is grouped, is decided here."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ledger.core.language import N_, _
from ledger.rules import intervals as iv
from ledger.rules.reconcile import Reconciliation

SANKEY_SHOWN = 10  # sources drawn one by one; the smaller ones share a node
NOT_ALLOCATED = N_("Not passed on")
LAYERS = ("donor", "source", "need", "industry")


@dataclass(frozen=True)
class SankeyView:
    """`nodes`: layer, key, label (a bloc, a source or need's name), in the order they
    were first met. `links`: source and target (positions in `nodes`), low, high, what
    the link is (`kind`: donor, flow, industry, spare), whether it is the assumed part
    of a flow, and the bloc it is coloured by (donor and industry links)."""

    nodes: pd.DataFrame
    links: pd.DataFrame
    grouped: tuple[str, ...]  # ids of the sources drawn together in one node


def sankey_groups(result: Reconciliation, expand: bool = False) -> dict[str, str]:
    """Source id → the node it is drawn in: itself, or "others" for the smaller
    sources beyond the SANKEY_SHOWN largest (a pool, which money flows into, is
    always drawn on its own)."""
    sources = result.sources
    if expand or len(sources) <= SANKEY_SHOWN:
        return {sid: sid for sid in sources["id"]}
    fed = set(result.flows.loc[result.flows["to"].isin(sources["id"]), "to"])
    size = iv.midpoint(sources["available_low"], sources["available_high"])
    order = sources.assign(size=size).sort_values("size", ascending=False, kind="stable")
    keep = set(order["id"].head(SANKEY_SHOWN)) | fed
    return {sid: sid if sid in keep else "others" for sid in sources["id"]}


class _Graph:
    """Nodes found once by (layer, key); links summed by (ends, kind, assumed, bloc)."""

    def __init__(self, names: dict[str, str], group: dict[str, str]) -> None:
        self.names = names
        self.group = group
        self.nodes: dict[tuple[str, str], int] = {}
        self.labels: list[str] = []
        self.links: dict[tuple[int, int, str, bool, str], list[float]] = {}

    def node(self, layer: str, key: str, label: str) -> int:
        if (layer, key) not in self.nodes:
            self.nodes[(layer, key)] = len(self.labels)
            self.labels.append(label)
        return self.nodes[(layer, key)]

    def source(self, sid: str) -> int:
        key = self.group.get(sid, sid)
        return self.node("source", key, self.names.get(key, key))

    def link(self, a: int, b: int, low: float, high: float, kind: str,
             assumed: bool = False, bloc: str = "") -> None:
        if high > 0:
            total = self.links.setdefault((a, b, kind, assumed, bloc), [0.0, 0.0])
            total[0] += low
            total[1] += high

    def view(self, grouped: tuple[str, ...]) -> SankeyView:
        keys = list(self.nodes)
        nodes = pd.DataFrame({"layer": [k[0] for k in keys], "key": [k[1] for k in keys],
                              "label": self.labels})
        ends = list(self.links)
        links = pd.DataFrame({
            "source": [k[0] for k in ends], "target": [k[1] for k in ends],
            "low": [v[0] for v in self.links.values()],
            "high": [v[1] for v in self.links.values()],
            "kind": [k[2] for k in ends], "assumed": [k[3] for k in ends],
            "bloc": [k[4] for k in ends]})
        return SankeyView(nodes, links, grouped)


def sankey_view(result: Reconciliation, expand: bool = False,
                reported: Reconciliation | None = None) -> SankeyView:
    """The diagram of `result`. With `reported` (the view counting no assumption),
    each flow's assumed part is a link of its own."""
    sources = result.sources
    group = sankey_groups(result, expand)
    grouped = tuple(sorted(sid for sid, g in group.items() if g == "others"))
    names = dict(zip(sources["id"], sources["name"], strict=True)) | dict(
        zip(result.needs["id"], result.needs["name"], strict=True))
    names["others"] = _("{count} smaller sources").format(count=len(grouped))
    graph = _Graph(names, group)
    _donor_links(graph, result)
    _flow_links(graph, result, _reported_flows(result, reported))
    for row in sources[sources["headroom_high"] > 0].itertuples():
        # money no flow takes ends in its own node
        graph.link(graph.source(row.id), graph.node("need", NOT_ALLOCATED, NOT_ALLOCATED),
                   max(row.headroom_low, 0.0), row.headroom_high, "spare")
    return graph.view(grouped)


def _donor_links(graph: _Graph, result: Reconciliation) -> None:
    """Donor bloc → source: a source's own money, a joint package split by donor."""
    mix = result.donor_mix
    for row in result.sources.itertuples():
        shares = mix.loc[row.id] if row.id in mix.index else pd.Series({"Other": 1.0})
        for bloc, share in shares[shares > 0].items():
            graph.link(graph.node("donor", str(bloc), f"{bloc} (donor)"), graph.source(row.id),
                       row.own_low * share, row.own_high * share, "donor", bloc=str(bloc))


def _reported_flows(result: Reconciliation, reported: Reconciliation | None
                    ) -> dict[tuple[str, str, str], tuple[float, float]]:
    """Each flow's reported amount by (from, to, industry bloc); empty when the view
    counts no assumption or no reported view was given."""
    if reported is None or reported is result:
        return {}
    flows = reported.flows
    return {(str(origin), str(to), str(bloc)): (float(low), float(high))
            for origin, to, bloc, low, high in zip(
                flows["from"], flows["to"], flows["industry_bloc"], flows["value_low"],
                flows["value_high"], strict=True)}


def _flow_links(graph: _Graph, result: Reconciliation,
                real: dict[tuple[str, str, str], tuple[float, float]]) -> None:
    """Source → need or pool, and need → industry bloc; with `real`, each flow's
    reported and assumed parts apart."""
    need_ids = set(result.needs["id"])
    for row in result.flows.rename(columns={"from": "origin"}).itertuples():
        target = row.to
        parts = [(row.value_low, row.value_high, False)]
        if real:  # what is reported of this flow, and what is assumed on top of it
            low, high = real.get((str(row.origin), str(target), str(row.industry_bloc)),
                                 (0.0, 0.0))
            parts = [(low, high, False), (max(row.value_low - low, 0.0),
                                          max(row.value_high - high, 0.0), True)]
        for low, high, assumed in parts:
            if target in need_ids:
                to_node = graph.node("need", target, graph.names.get(target, target))
                bloc = row.industry_bloc or "Unknown"
                graph.link(to_node, graph.node("industry", bloc, f"{bloc} (industry)"),
                           low, high, "industry", assumed, bloc)
            else:
                to_node = graph.source(target)
            graph.link(graph.source(row.origin), to_node, low, high, "flow", assumed)
