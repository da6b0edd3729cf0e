"""A file of rows to add or update, merged into the ledger in use: rows matched by
id are replaced, new ids are added at the end, every other row is kept. Both are
read as text (the rows alone need not make a valid ledger: a new flow names a
source the file lacks); the result is a whole funding CSV, checked and compared
like any upload. Run in the upload worker (reading.sandbox)."""

from __future__ import annotations

import io

import pandas as pd

from ledger.core.problems import LedgerError, Problem, said
from ledger.reading.schema import COLUMNS, REQUIRED
from ledger.reading.textfile import read_csv_bytes


def merged(current: bytes, rows: bytes) -> bytes:
    """The ledger in use (`current`, a funding CSV) with `rows` added or updated by
    id, as a funding CSV: the columns of both, ours first; an update keeps the row's
    place and, in columns the file does not have, the row's cells. A file of rows
    without an `id` column is a problem saying so."""
    old = _text(current)
    new = _text(rows)
    if "id" not in new.columns:
        raise LedgerError([Problem(1, "id", said("rows to add or update need an id column: "
                                                 "it is how a row already in use is found"))])
    columns = [c for c in COLUMNS if c in old.columns or c in new.columns]
    columns += [c for c in dict.fromkeys([*old.columns, *new.columns]) if c not in columns]
    given = [c for c in columns if c in new.columns]  # a column the file lacks is kept
    old = old.reindex(columns=columns, fill_value="").fillna("")
    new = new.reindex(columns=columns, fill_value="").fillna("")
    by_id = new.drop_duplicates("id", keep="last").set_index("id", drop=False)
    updated = old["id"].isin(by_id.index).to_numpy()
    if updated.any():
        old.loc[updated, given] = by_id.loc[old.loc[updated, "id"], given].to_numpy()
    added = new[~new["id"].isin(old["id"]).to_numpy()]
    buffer = io.StringIO()
    pd.concat([old, added], ignore_index=True).to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")


def _text(data: bytes) -> pd.DataFrame:
    records = read_csv_bytes(data, set(REQUIRED))
    frame = records.frame.astype(str)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    if "amount" in frame.columns and "low" not in frame.columns:
        frame = frame.rename(columns={"amount": "low"})
    return frame
