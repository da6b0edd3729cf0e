"""References between rows: where each flow comes from and goes to, the category
a flow into a need carries, and cycles of flows between sources."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ledger.core.frames import positions_of
from ledger.core.graph import chain_cycles, cycle_edges, cycle_words
from ledger.core.problems import Said, said

Message = str | Callable[[int], str]
Flag = Callable[[np.ndarray | pd.Series, str, Message], None]
Quote = Callable[[str, str], Callable[[int], str]]


def check_links(frame: pd.DataFrame, flag: Flag, quoted: Quote) -> None:
    """Flag (row, column, message) every broken reference between rows."""
    flows = (frame["kind"] == "flow").to_numpy()
    kinds = _kinds_by_id(frame, flows)
    source_of = kind_of(frame["from"], frame, flows, kinds)
    target_of = kind_of(frame["to"], frame, flows, kinds)
    no_from = source_of.empty()
    no_to = target_of.empty()
    flag(flows & no_from, "from", said("missing: the id of a source"))
    flag(flows & no_to, "to", said("missing: the id of a need or source"))
    flag(flows & ~no_from & source_of.none(), "from",
         quoted("from", said("no row has this id")))
    flag(flows & ~no_to & target_of.none(), "to", quoted("to", said("no row has this id")))
    flag(flows & source_of.among("need", "flow"), "from",
         lambda pos: said("'{id}' is a {kind}: money flows from a source",
                          id=frame["from"].iat[pos], kind=Said(str(source_of.at(pos)), {})))
    flag(flows & target_of.among("flow"), "to",
         quoted("to", said("is a flow: money flows to a need or a source")))
    flag(flows & source_of.among("check"), "from",
         quoted("from", said("is a check: money flows from a source")))
    flag(flows & target_of.among("check"), "to",
         quoted("to", said("is a check: money flows to a need or a source")))
    same = source_of.same_as(target_of)
    flag(flows & same & ~no_from, "to", said("a flow from a source to itself"))
    into_need = flows & target_of.among("need")
    needs_category = (frame["kind"] == "need").to_numpy() | into_need
    flag(needs_category & (frame["category"] == "").to_numpy(), "category",
         said("missing category (e.g. military, reconstruction)"))
    between = flows & source_of.among("source") & target_of.among("source") & ~same
    edges = frame.loc[between, ["from", "to"]]
    # as plain lists (iterating Arrow-backed columns goes value by value), each pair once
    pairs = list(zip(edges["from"].tolist(), edges["to"].tolist(), strict=True))
    in_cycle: set = cycle_edges(list(dict.fromkeys(pairs)))
    if in_cycle:
        members = np.array([edge in in_cycle for edge in pairs], dtype=bool)
        mask = np.zeros(len(frame), dtype=bool)
        mask[np.flatnonzero(between)[members]] = True
        through = cycle_words({a for a, _ in in_cycle})
        flag(mask, "to", lambda pos: said(
            "'{id}' — flows form a cycle through {ids}", id=frame["to"].iat[pos], ids=through))


def check_targets(frame: pd.DataFrame, flag: Flag, quoted: Quote) -> None:
    """A check names one row (`to` = its id) or a tag (`#tag`) whose rows are all of
    one kind; it never has a `from`."""
    checks = (frame["kind"] == "check").to_numpy()
    if not checks.any():
        return
    to = frame["to"]
    flag(checks & (to == "").to_numpy(), "to",
         said("missing: the id of the row checked, or #tag for the rows with that tag"))
    flag(checks & (frame["from"] != "").to_numpy(), "from",
         said("a check has no from: it names what it checks in to"))
    by_tag = tagged_kinds(frame)
    ids = dict(zip(frame["id"].tolist(), frame["kind"].tolist(), strict=False))
    for pos in np.flatnonzero(checks):
        target = str(to.iat[pos])
        if not target:
            continue
        if target.startswith("#"):
            kinds = by_tag.get(target[1:].lower(), set())
            why = (said("no row carries this tag") if not kinds else
                   said("rows of several kinds carry this tag ({kinds}): a check sums rows "
                        "of one kind", kinds=", ".join(sorted(kinds))) if len(kinds) > 1
                   else "")
        else:
            kind = ids.get(target)
            why = (said("no row has this id") if kind is None else
                   said("is a check: a check names a need, source or flow")
                   if kind == "check" else "")
        if why:
            mask = np.zeros(len(frame), dtype=bool)
            mask[pos] = True
            flag(mask, "to", quoted("to", why))


def tagged_kinds(frame: pd.DataFrame) -> dict[str, set[str]]:
    """Each tag and the kinds of the rows (checks aside) that carry it."""
    carrying = frame.loc[(frame["tags"] != "").to_numpy() & (frame["kind"] != "check").to_numpy(),
                         ["tags", "kind"]]  # the two columns read, not a copy of every one
    found: dict[str, set[str]] = {}
    pairs = carrying.drop_duplicates()  # hashed: a tracker tags many rows alike
    for text, kind in zip(pairs["tags"].tolist(), pairs["kind"].tolist(), strict=True):
        for tag in str(text).split(";"):
            found.setdefault(tag, set()).add(str(kind))
    return found


class Kinds:
    """The kind of the row each reference names (None where none does), kept as one
    code per reference into a few distinct kinds, so a million flows cost no more
    than the comparisons of integers."""

    def __init__(self, position: np.ndarray, found: list[str | None],
                 distinct: list[str]) -> None:
        self._found = np.array([*found, None], dtype=object)  # -1 (a missing cell) → None
        self._position = position
        self._distinct = distinct  # the distinct references, in the order of `found`

    def empty(self) -> np.ndarray:
        """Where the reference is an empty cell."""
        return self._codes(np.array([*(ref == "" for ref in self._distinct), False]))

    def same_as(self, other: Kinds) -> np.ndarray:
        """Where this reference and `other`'s (same rows) name the same id."""
        where = {ref: i for i, ref in enumerate(other._distinct)}
        mapped = np.array([*(where.get(ref, -2) for ref in self._distinct), -3])
        return mapped[self._position] == other._position

    def _codes(self, wanted: np.ndarray) -> np.ndarray:
        return wanted[self._position]

    def none(self) -> np.ndarray:
        return self._codes(np.array([kind is None for kind in self._found], dtype=bool))

    def among(self, *kinds: str) -> np.ndarray:
        return self._codes(np.array([kind in kinds for kind in self._found], dtype=bool))

    def at(self, pos: int) -> str | None:
        return self._found[self._position[pos]]


def _kinds_by_id(frame: pd.DataFrame, flows: np.ndarray) -> dict[str, str]:
    """The kind of each row that is not a flow, by its id."""
    targets = frame.loc[~flows, ["id", "kind"]]
    kinds: dict[str, str] = {}
    for row_id, kind in zip(targets["id"].tolist(), targets["kind"].tolist(), strict=True):
        kinds.setdefault(row_id, kind)  # the first row with an id, as drop_duplicates kept
    return kinds


def kind_of(refs: pd.Series, frame: pd.DataFrame, flows: np.ndarray,
            kinds: dict[str, str]) -> Kinds:
    """The kinds of the rows the references name (`kinds`: those of the rows that
    are not flows, `_kinds_by_id`). References name few distinct rows, so each
    distinct one is looked up once."""
    position, uniques = pd.factorize(refs)
    distinct = [str(ref) for ref in uniques.tolist()]
    found = [kinds.get(ref) for ref in distinct]
    unresolved = [i for i, kind in enumerate(found) if kind is None and distinct[i] != ""]
    if unresolved:
        flow_ids = set(frame.loc[flows, "id"][frame.loc[flows, "id"].isin(
            [distinct[i] for i in unresolved])])
        for i in unresolved:
            found[i] = "flow" if distinct[i] in flow_ids else None
    return Kinds(position, found, distinct)


STAGE_ORDER = ("pledged", "committed", "allocated", "disbursed")


def _targets(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(named, known, position): whether a row names an id in `column`, whether a row
    has that id, and the position of that row (0 where unknown)."""
    named = (frame[column] != "").to_numpy()
    if not named.any():
        return named, named, np.zeros(len(frame), dtype=np.int64)
    where = positions_of(frame["id"], frame[column])
    known = where >= 0
    return named, known & named, np.maximum(where, 0)


def _same_kind_reference(frame: pd.DataFrame, column: str, kind_name: str, only: str,
                         why: str, flag: Flag, quoted: Quote
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A reference from a row of one kind to another row of that kind: flags a row of
    another kind that names one, an unknown id, a target of another kind. Returns
    (which rows name one, the position named, which name a row of the right kind)."""
    named, known, target = _targets(frame, column)
    if not named.any():
        return named, target, named
    kind = frame["kind"].to_numpy(dtype=object)
    right = kind == kind_name
    flag(named & ~right, column, only)
    flag(named & right & ~known, column, quoted(column, said("no row has this id")))
    to_right = known & right & (kind[target] == kind_name)
    flag(known & right & ~to_right, column,
         lambda pos: said("'{id}' is a {kind}: {why}", id=frame[column].iat[pos],
                          kind=Said(kind[target[pos]], {}), why=why))
    return named, target, to_right


def check_fulfils(frame: pd.DataFrame, flag: Flag, quoted: Quote) -> None:
    """`fulfils`: on a flow, the id of a flow at an earlier stage (pledged < committed <
    allocated < disbursed) that this one delivers in part or in full."""
    named, target, to_flow = _same_kind_reference(
        frame, "fulfils", "flow", said("only a flow fulfils another flow"),
        said("a flow fulfils an earlier flow"), flag, quoted)
    if not named.any():
        return
    status = frame["status"].to_numpy(dtype=object)
    order = {name: i for i, name in enumerate(STAGE_ORDER)}
    stage = np.array([order.get(s, -1) for s in status], dtype=np.int64)
    unstaged = to_flow & (stage < 0)
    flag(unstaged, "fulfils", lambda pos: said(
        "'{id}' — a flow that fulfils another needs a stage of its own: status committed, "
        "allocated or disbursed", id=frame["fulfils"].iat[pos]))
    flag(to_flow & ~unstaged & (stage[target] >= stage), "fulfils", lambda pos: said(
        "'{id}' is {stage}: it must be at an earlier stage than this flow ({own})",
        id=frame["fulfils"].iat[pos], own=Said(status[pos], {}),
        stage=Said(status[target[pos]], {}) if status[target[pos]] else said("of no stage")))


def check_within(frame: pd.DataFrame, flag: Flag, quoted: Quote) -> None:
    """`within`: on a need, the id of a broader need that contains it; no cycles."""
    named, target, to_need = _same_kind_reference(
        frame, "within", "need", said("only a need is within another need"),
        said("a need is within another need"), flag, quoted)
    if not named.any():
        return
    ids = frame["id"].to_numpy(dtype=object)
    self_named = to_need & (target == np.arange(len(frame)))
    flag(self_named, "within", said("a need cannot be within itself"))
    parent = {ids[pos]: ids[target[pos]] for pos in np.flatnonzero(to_need & ~self_named)}
    in_cycle = chain_cycles(parent)
    if in_cycle:
        through = cycle_words(in_cycle)
        flag(np.isin(ids, list(in_cycle)) & named, "within",
             lambda pos: said("'{id}' — needs within needs form a cycle through {ids}",
                              id=frame["within"].iat[pos], ids=through))
