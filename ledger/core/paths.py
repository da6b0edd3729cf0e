"""Where the data files shipped with the ledger are: `data/` in a source
checkout, the installed copy of it (the package `ledger.shipped`) otherwise.
Every module asks here, so an installed package run from any folder finds the
real bloc map and the shipped ledgers."""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

CHECKOUT_DATA = Path(__file__).resolve().parents[2] / "data"


def shipped(name: str) -> Path:
    """A shipped file (`funding.csv`, `blocs.csv`, `examples/...`); the path may not
    exist for optional files such as `fx_rates.csv`."""
    if (CHECKOUT_DATA / "blocs.csv").exists():  # a source checkout: its data/ folder
        return CHECKOUT_DATA / name
    return Path(str(resources.files("ledger.shipped").joinpath(name)))


def shipped_ledger() -> Path:
    return shipped("funding.csv")


def bloc_map() -> Path:
    return shipped("blocs.csv")


def user_rates() -> Path:
    """Rates for currencies the ECB lacks (`date,currency,per_eur`), if the file exists."""
    return shipped("fx_rates.csv")


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where the store and the downloaded rates live: `LEDGER_DATA_DIR`, default ./var."""
    env = os.environ if env is None else env
    return Path(env.get("LEDGER_DATA_DIR", "") or "var")
