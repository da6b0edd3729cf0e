"""The least any correct implementation must do with a ledger file: read it with
pyarrow, one exchange factor per (currency, date), and the sums per need.
`bench.floor_ratio` times it against `python -m ledger report` in one run.

    .venv/bin/python -m bench.floor LEDGER.csv        # prints the covered total
"""

from __future__ import annotations

import sys


def main(path: str) -> None:
    import numpy as np
    import pyarrow.compute as pc
    import pyarrow.csv as pv

    from ledger.money.fx import rate_table

    table = pv.read_csv(path, convert_options=pv.ConvertOptions(
        column_types={"low": "float64", "high": "float64"}, strings_can_be_null=False))
    kind = table.column("kind")
    flows = table.filter(pc.equal(kind, "flow"))
    units = pc.dictionary_encode(flows.column("unit")).combine_chunks()
    rates = rate_table()
    day = np.array([np.datetime64(rates.latest_date, "D")])
    scale_of = {"": 1.0, "thousand": 1e3, "mn": 1e6, "bn": 1e9}
    per_unit = []
    for text in units.dictionary.to_pylist():  # few distinct units: each parsed once
        *scale, currency = text.split()
        per_eur, _ = rates.lookup(currency, day)
        per_unit.append(scale_of[" ".join(scale)] / per_eur[0])
    factor = np.asarray(per_unit)[units.indices.to_numpy()]
    low = flows.column("low").to_numpy() * factor
    to = pc.dictionary_encode(flows.column("to")).combine_chunks()
    sums = np.bincount(to.indices.to_numpy(), weights=low)
    codes = to.dictionary
    print(f"{len(codes)} targets, total {sums.sum():,.2f} EUR")


if __name__ == "__main__":
    main(sys.argv[1])
