"""Country or region code -> bloc (Europe, United States, Ukraine, Other, Unknown,
and Immobilised Russian assets: money that is Russia's, decided by others)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ledger.core.frames import text_columns
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
    table = _lower_headers(text_columns(path))
    problems = [
        Problem(i + 2, "bloc", f"{path.name}: '{bloc}' is not one of {', '.join(BLOCS)}")
        for i, bloc in enumerate(b.strip() for b in table.get("bloc", []))
        if bloc not in BLOCS
    ]
    if "code" not in table or "bloc" not in table:
        problems.append(Problem(1, None, f"{path.name}: needs columns code,bloc"))
    if problems:
        raise LedgerError(problems)
    return dict(zip(_codes(table["code"]), (b.strip() for b in table["bloc"]), strict=True))


def _lower_headers(table: dict[str, list[str]]) -> dict[str, list[str]]:
    return {name.strip().lower(): cells for name, cells in table.items()}


def _codes(cells: list[str]) -> list[str]:
    """Codes as written, trimmed; a two-letter code (a country) in capitals."""
    return [c.upper() if len(c) == 2 else c for c in (c.strip() for c in cells)]


def bloc_names(path: Path | None = None) -> dict[str, str]:
    """Code → the donor's name (`data/blocs.csv`'s third column; the code where none)."""
    path = path or bloc_map()
    if not path.exists():
        return {}
    return dict(_read_names(path, path.stat().st_mtime_ns))


@lru_cache(maxsize=8)
def _read_names(path: Path, _mtime_ns: int) -> dict[str, str]:
    table = _lower_headers(text_columns(path))
    if "name" not in table or "code" not in table:
        return {}
    return {c: (n.strip() or c) for c, n in zip(_codes(table["code"]), table["name"],
                                                strict=True)}
