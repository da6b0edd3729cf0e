"""Which rows a view keeps: the part of the ledger (everything, the public record
only, the article only) and the instruments counted. Rows left out take the
flows into and out of them along; a revision chain skips a row left out, so
the latest estimate in the view still replaces the earlier ones."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from ledger.core.language import N_

Part = Literal["all", "record", "article"]
PARTS: tuple[Part, ...] = ("all", "record", "article")
ARTICLE_TAG = "article"
RECORD_TAG = "record"
PART_WORDS = {  # what a headline says it shows
    "all": N_("everything: the article, the public record and our assumptions"),
    "record": N_("the public record only: no assumptions, no article figure the record "
              "does not confirm"),
    "article": N_("the article only: its figures and the allocations it implies"),
}


DATE_UNKNOWN = "date-unknown"  # an import's row whose date no column gave: in no year


def has_tag(tags: pd.Series, tag: str) -> np.ndarray:
    """Whether each row's `a;b` tag list holds `tag` (few distinct lists: one test each)."""
    position, distinct = pd.factorize(tags)
    found = np.array([tag in str(t).split(";") for t in distinct] + [False], dtype=bool)
    return found[position]


def part_mask(frame: pd.DataFrame, part: Part) -> np.ndarray:
    """The rows a part leaves out (before following flows). Checks always stay: each
    says whether what it checks is in the view."""
    if part == "all":
        return np.zeros(len(frame), dtype=bool)
    money = (frame["kind"] != "check").to_numpy()
    article = has_tag(frame["tags"], ARTICLE_TAG)
    if part == "article":
        return money & ~article
    record = has_tag(frame["tags"], RECORD_TAG)
    return money & ((article & ~record) | (frame["status"] == "assumption").to_numpy())


def instrument_mask(frame: pd.DataFrame, instruments: tuple[str, ...] | None) -> np.ndarray:
    """Sources and flows whose instrument is not counted (needs and checks stay)."""
    if instruments is None:
        return np.zeros(len(frame), dtype=bool)
    money = frame["kind"].isin(("source", "flow")).to_numpy()
    return money & ~frame["instrument"].isin(instruments).to_numpy()


def leave_out(frame: pd.DataFrame, out: np.ndarray, reason: str
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(kept, left out with `counted` = reason): flows into or out of a row left out
    go too; a row that revises one left out revises what that one revised."""
    if not out.any():
        return frame, frame.iloc[0:0].assign(counted=pd.Series([], dtype=object))
    gone = set(frame.loc[out, "id"])
    flows = (frame["kind"] == "flow").to_numpy()
    out = out | (flows & (frame["from"].isin(gone).to_numpy() | frame["to"].isin(gone)
                          .to_numpy()))
    kept = frame[~out]
    revised = dict(zip(frame.loc[out, "id"], frame.loc[out, "revises"], strict=False))
    skips = kept["revises"].isin(revised).to_numpy()
    if skips.any():
        def past_gone(row: str) -> str:
            seen: set[str] = set()
            while row in revised:
                if row in seen:
                    return ""
                seen.add(row)
                row = str(revised[row])
            return row
        kept = kept.assign(revises=kept["revises"].where(
            ~skips, kept["revises"].map(past_gone)).astype("str"))
    return kept, frame[out].assign(counted=reason)
