"""References between rows: where each flow comes from and goes to, the category
a flow into a need carries, and cycles of flows between sources."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ledger.graph import cycle_edges

Message = str | Callable[[int], str]
Flag = Callable[[np.ndarray | pd.Series, str, Message], None]
Quote = Callable[[str, str], Callable[[int], str]]


def check_links(frame: pd.DataFrame, flag: Flag, quoted: Quote) -> None:
    """Flag (row, column, message) every broken reference between rows."""
    flows = frame["kind"] == "flow"
    source_of = kind_of(frame["from"], frame, flows)
    target_of = kind_of(frame["to"], frame, flows)
    flag(flows & (frame["from"] == ""), "from", "missing: the id of a source")
    flag(flows & (frame["to"] == ""), "to", "missing: the id of a need or source")
    flag(flows & (frame["from"] != "") & source_of.isna(), "from",
         quoted("from", "no row has this id"))
    flag(flows & (frame["to"] != "") & target_of.isna(), "to",
         quoted("to", "no row has this id"))
    flag(flows & source_of.isin(["need", "flow"]), "from",
         lambda pos: f"'{frame['from'].iat[pos]}' is a {source_of.iat[pos]}: "
         "money flows from a source")
    flag(flows & (target_of == "flow"), "to",
         quoted("to", "is a flow: money flows to a need or a source"))
    flag(flows & (source_of == "check"), "from",
         quoted("from", "is a check: money flows from a source"))
    flag(flows & (target_of == "check"), "to",
         quoted("to", "is a check: money flows to a need or a source"))
    flag(flows & (frame["from"] == frame["to"]) & (frame["from"] != ""), "to",
         "a flow from a source to itself")
    into_need = flows & (target_of == "need")
    needs_category = (frame["kind"] == "need") | into_need
    flag(needs_category & (frame["category"] == ""), "category",
         "missing category (e.g. military, reconstruction)")
    between = flows & (source_of == "source") & (target_of == "source") & (
        frame["from"] != frame["to"])
    edges = frame.loc[between, ["from", "to"]]
    in_cycle: set = cycle_edges(list(zip(edges["from"], edges["to"], strict=True)))
    if in_cycle:
        members = np.array([edge in in_cycle for edge in zip(edges["from"], edges["to"],
                                                              strict=True)], dtype=bool)
        mask = np.zeros(len(frame), dtype=bool)
        mask[np.flatnonzero(between.to_numpy())[members]] = True
        flag(mask, "to", lambda pos: (
            f"'{frame['to'].iat[pos]}' — flows form a cycle through "
            + " → ".join(sorted({a for a, _ in in_cycle}))))


def check_targets(frame: pd.DataFrame, flag: Flag, quoted: Quote) -> None:
    """A check names one row (`to` = its id) or a tag (`#tag`) whose rows are all of
    one kind; it never has a `from`."""
    checks = (frame["kind"] == "check").to_numpy()
    if not checks.any():
        return
    to = frame["to"]
    flag(checks & (to == "").to_numpy(), "to",
         "missing: the id of the row checked, or #tag for the rows with that tag")
    flag(checks & (frame["from"] != "").to_numpy(), "from",
         "a check has no from: it names what it checks in to")
    by_tag = tagged_kinds(frame)
    ids = dict(zip(frame["id"], frame["kind"], strict=False))
    for pos in np.flatnonzero(checks):
        target = str(to.iat[pos])
        if not target:
            continue
        if target.startswith("#"):
            kinds = by_tag.get(target[1:].lower(), set())
            why = ("no row carries this tag" if not kinds else
                   "rows of several kinds carry this tag (" + ", ".join(sorted(kinds))
                   + "): a check sums rows of one kind" if len(kinds) > 1 else "")
        else:
            kind = ids.get(target)
            why = ("no row has this id" if kind is None else
                   "is a check: a check names a need, source or flow" if kind == "check"
                   else "")
        if why:
            mask = np.zeros(len(frame), dtype=bool)
            mask[pos] = True
            flag(mask, "to", quoted("to", why))


def tagged_kinds(frame: pd.DataFrame) -> dict[str, set[str]]:
    """Each tag and the kinds of the rows (checks aside) that carry it."""
    carrying = frame[(frame["tags"] != "").to_numpy() & (frame["kind"] != "check").to_numpy()]
    found: dict[str, set[str]] = {}
    pairs = carrying[["tags", "kind"]].drop_duplicates()
    for text, kind in zip(pairs["tags"], pairs["kind"], strict=True):
        for tag in str(text).split(";"):
            found.setdefault(tag, set()).add(str(kind))
    return found


def kind_of(refs: pd.Series, frame: pd.DataFrame, flows: pd.Series) -> pd.Series:
    """The kind of the row each reference names (None where none does). References
    name few distinct rows, so each distinct one is looked up once."""
    position, distinct = pd.factorize(refs)
    targets = frame.loc[~flows, ["id", "kind"]].drop_duplicates("id")
    kinds = dict(zip(targets["id"], targets["kind"], strict=True))
    found = [kinds.get(ref) for ref in distinct]
    unresolved = [i for i, kind in enumerate(found) if kind is None and distinct[i] != ""]
    if unresolved:
        flow_ids = set(frame.loc[flows, "id"][frame.loc[flows, "id"].isin(
            [distinct[i] for i in unresolved])])
        for i in unresolved:
            found[i] = "flow" if distinct[i] in flow_ids else None
    return pd.Series(np.array([*found, None], dtype=object)[position], index=refs.index)
