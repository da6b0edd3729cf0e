"""Small files that spare a command its slow start: what is derived from files
shipped in packages (the ECB history, our unit definitions), kept in the user's
cache folder under a key that changes when the source does. Only plain data is
stored (JSON, numpy arrays without pickles): a cache file can never run code."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

APP = "ukraine-funding-ledger"


def folder() -> Path | None:
    """$XDG_CACHE_HOME (or ~/.cache)/ukraine-funding-ledger, else the temp folder;
    None when neither can be written (then nothing is cached)."""
    home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    for base in (Path(home), Path(tempfile.gettempdir())):
        place = base / APP
        try:
            place.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(place, os.W_OK):
            return place
    return None


def _write(path: Path, write: Any) -> None:
    """Write through a temporary file and rename: readers never see half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def load_json(name: str) -> Any | None:
    place = folder()
    try:
        return json.loads((place / name).read_text(encoding="utf-8")) if place else None
    except (OSError, ValueError):
        return None


def save_json(name: str, value: Any) -> None:
    place = folder()
    if place is not None:
        _write(place / name, lambda out: out.write(json.dumps(value).encode("utf-8")))


def load_arrays(name: str) -> dict[str, np.ndarray] | None:
    place = folder()
    if place is None:
        return None
    try:
        with np.load(place / name, allow_pickle=False) as stored:
            return {key: stored[key] for key in stored.files}
    except (OSError, ValueError, KeyError):
        return None


def save_arrays(name: str, **arrays: np.ndarray) -> None:
    place = folder()
    if place is not None:
        _write(place / name, lambda out: np.savez(out, **arrays))  # type: ignore[arg-type]
