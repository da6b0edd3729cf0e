"""Country or region code -> bloc (Europe, United States, Ukraine, Other, Unknown,
and Immobilised Russian assets: money that is Russia's, decided by others)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from ledger.core.paths import bloc_map
from ledger.core.problems import LedgerError, Problem

RUSSIAN_ASSETS = "Immobilised Russian assets"
BLOCS = ("Europe", "United States", "Ukraine", "Other", "Unknown", RUSSIAN_ASSETS)
FALLBACK = {"EU": "Europe", "US": "United States", "UA": "Ukraine", "unknown": "Unknown",
            "RU-ASSETS": RUSSIAN_ASSETS}


def load_blocs(path: Path | None = None) -> dict[str, str]:
    """Read `code,bloc[,name]`; codes as written (alpha-2 upper-case, `multi`, `unknown`).
    Read again only when the file changes: every reconciliation asks for it."""
    path = path or bloc_map()
    if not path.exists():
        return dict(FALLBACK)
    return dict(_read_blocs(path, path.stat().st_mtime_ns))


@lru_cache(maxsize=8)
def _read_blocs(path: Path, _mtime_ns: int) -> dict[str, str]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    frame.columns = [c.strip().lower() for c in frame.columns]
    problems = [
        Problem(i + 2, "bloc", f"{path.name}: '{bloc}' is not one of {', '.join(BLOCS)}")
        for i, bloc in enumerate(frame.get("bloc", pd.Series(dtype=str)).str.strip())
        if bloc not in BLOCS
    ]
    if "code" not in frame.columns or "bloc" not in frame.columns:
        problems.append(Problem(1, None, f"{path.name}: needs columns code,bloc"))
    if problems:
        raise LedgerError(problems)
    codes = frame["code"].str.strip()
    codes = codes.where(codes.str.len() != 2, codes.str.upper())
    return dict(zip(codes, frame["bloc"].str.strip(), strict=True))


def bloc_names(path: Path | None = None) -> dict[str, str]:
    """Code → the donor's name (`data/blocs.csv`'s third column; the code where none)."""
    path = path or bloc_map()
    if not path.exists():
        return {}
    return dict(_read_names(path, path.stat().st_mtime_ns))


@lru_cache(maxsize=8)
def _read_names(path: Path, _mtime_ns: int) -> dict[str, str]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    frame.columns = [c.strip().lower() for c in frame.columns]
    if "name" not in frame.columns or "code" not in frame.columns:
        return {}
    codes = frame["code"].str.strip()
    codes = codes.where(codes.str.len() != 2, codes.str.upper())
    return {c: (n.strip() or c) for c, n in zip(codes, frame["name"], strict=True)}
