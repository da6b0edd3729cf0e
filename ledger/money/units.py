"""The pint registry for currencies and scale words, and our own parsers for
the `unit` column and for amounts.

User text never reaches pint's expression parser: it reads `90–100` as 9000,
`90-100` as -10, and `9**9**9` hangs it. We tokenise with a small grammar and
look only validated names up in the registry.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ledger.core.problems import Said, said
from ledger.runtime import diskcache

if TYPE_CHECKING:
    import pint

DEFINITIONS = Path(__file__).with_name("currencies.txt")


@cache
def registry() -> pint.UnitRegistry:
    """The application's one pint registry, built from currencies.txt on first use."""
    import pint

    ureg: pint.UnitRegistry = pint.UnitRegistry(None)
    ureg.load_definitions(str(DEFINITIONS))
    return ureg


def __getattr__(name: str) -> Any:
    """`ureg` and `Q_` as module attributes, built when first asked for: a command
    that parses no unit never imports pint."""
    if name == "ureg":
        return registry()
    if name == "Q_":
        return registry().Quantity
    raise AttributeError(name)


@cache
def lexicon() -> tuple[frozenset[str], dict[str, float]]:
    """(currency codes, scale word -> factor) as the registry defines them. Kept on
    disk under the hash of currencies.txt, so a command looks tokens up without
    building the registry; built from the registry when the definitions change."""
    key = hashlib.sha256(DEFINITIONS.read_bytes()).hexdigest()[:16]
    stored = diskcache.load_json(f"units-{key}.json")
    if isinstance(stored, dict) and {"currencies", "scales"} <= set(stored):
        return frozenset(stored["currencies"]), dict(stored["scales"])
    ureg = registry()
    codes = sorted(name for name in ureg._units
                   if len(name) == 3 and name.isupper() and not ureg.Unit(name).dimensionless)
    scales = {word: float(ureg.Quantity(1.0, word).to("dimensionless").magnitude)
              for word in sorted(set(SCALE_WORDS.values()))}
    diskcache.save_json(f"units-{key}.json", {"currencies": codes, "scales": scales})
    return frozenset(codes), scales

SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP"}
SCALE_WORDS = {
    "thousand": "thousand", "thousands": "thousand", "k": "thousand",
    "million": "million", "millions": "million", "mn": "million", "m": "million",
    "mio": "million", "mln": "million",
    "billion": "billion", "billions": "billion", "bn": "billion", "b": "billion",
    "bln": "billion", "mrd": "billion", "md": "billion", "mds": "billion",
    "trillion": "trillion", "trillions": "trillion", "tn": "trillion",
}
CURRENCY_WORDS = {"euro": "EUR", "euros": "EUR"}


def currencies() -> list[str]:
    """Every currency code the registry defines, sorted."""
    return sorted(lexicon()[0])


class UnitError(ValueError):
    """A `unit` cell that our grammar cannot read."""


@dataclass(frozen=True)
class UnitSpec:
    """A parsed `unit` cell: multiply the amount by `scale` to get whole `currency`."""

    scale: float
    currency: str


_TOKEN = re.compile(r"\s*([€$£]|[A-Za-z]+\.?)\s*")  # "Mrd. €", "Mio. €": a word may end in "."


@cache
def parse_unit(text: str) -> UnitSpec:
    """Read `billion USD`, `bn EUR`, `EUR`, `€bn`, `USD m` into a UnitSpec."""
    raw = text.strip()
    if not raw:
        raise UnitError(said("missing unit (e.g. 'bn EUR')"))
    tokens: list[str] = []
    pos = 0
    while pos < len(raw):
        match = _TOKEN.match(raw, pos)
        if match is None:
            raise UnitError(said(
                "not a unit: use an optional scale word and one currency, e.g. 'bn EUR'"))
        tokens.append(match.group(1))
        pos = match.end()
    scale: str | None = None
    currency: str | None = None
    for token in tokens:
        token = token.rstrip(".")
        lower = token.lower()
        if token in SYMBOLS or lower in CURRENCY_WORDS or _looks_like_code(token):
            code = SYMBOLS.get(token) or CURRENCY_WORDS.get(lower) or token.upper()
            if currency is not None:
                raise UnitError(said("more than one currency"))
            if code not in _known_currencies():
                raise UnitError(said("unknown currency {code}", code=code))
            currency = code
        elif lower in SCALE_WORDS:
            if scale is not None:
                raise UnitError(said("more than one scale word"))
            scale = SCALE_WORDS[lower]
        else:
            raise UnitError(said(
                "unknown word '{word}' (expected a scale word such as bn and a currency)",
                word=token[:40]))
    if currency is None:
        raise UnitError(said("no currency (e.g. 'bn EUR')"))
    factor = 1.0 if scale is None else lexicon()[1][scale]
    return UnitSpec(scale=factor, currency=currency)


def _looks_like_code(token: str) -> bool:
    return len(token) == 3 and token.isalpha() and token.lower() not in SCALE_WORDS


def _known_currencies() -> frozenset[str]:
    return lexicon()[0]


# --- amounts -------------------------------------------------------------

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?"
_SINGLE = re.compile(rf"\+?({_NUM})")
_RANGE = re.compile(rf"\+?({_NUM})\s*(?:-|–|—|to)\s*\+?({_NUM})")
# the same, for files that write decimal commas (1.234,5)
_NUM_C = r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d*)?"
_NUM_COMMA = re.compile(rf"\+?({_NUM_C})")
_RANGE_COMMA = re.compile(rf"\+?({_NUM_C})\s*(?:-|–|—|to)\s*\+?({_NUM_C})")
_NONFINITE = re.compile(r"[+-]?(nan|inf|infinity)", re.IGNORECASE)
_HAS_UNIT = re.compile(r"[€$£]|\d\s*(?:bn|mn|tn|[kmbt]|billion|million|[A-Za-z]{3})\b", re.I)


class AmountError(ValueError):
    """An amount cell that is not a plain non-negative number (or range)."""


def _to_float(text: str, decimal_comma: bool) -> float:
    if decimal_comma:
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    value = float(text)
    if not math.isfinite(value):
        raise AmountError(said("too large to be a number"))
    return value


def _normalise(text: str) -> str:
    return text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")


def parse_amount(text: str, *, allow_range: bool, decimal_comma: bool = False) -> tuple[
    float, float | None
]:
    """Read one amount cell: `95`, `1,234.5`, or (if allowed) `90-100` / `90–100`.

    Returns (low, high) where high is None for a single number.
    """
    raw = text.strip()
    squeezed = _normalise(raw)
    if not squeezed:
        raise AmountError(said("missing amount"))
    if _NONFINITE.fullmatch(squeezed):
        raise AmountError(said("not a finite number"))
    num = _NUM_COMMA if decimal_comma else None
    single = (num or _SINGLE).fullmatch(squeezed)
    if single:
        return _to_float(single.group(1), decimal_comma), None
    if squeezed.startswith("-") and (num or _SINGLE).fullmatch(squeezed[1:]):
        raise AmountError(said("negative amount: amounts are ≥ 0"))
    ranged = (_RANGE_COMMA if decimal_comma else _RANGE).fullmatch(squeezed)
    if ranged:
        if not allow_range:
            raise AmountError(said(
                "a range belongs in the amount column, or in low and high"))
        low = _to_float(ranged.group(1), decimal_comma)
        high = _to_float(ranged.group(2), decimal_comma)
        if low > high:
            raise AmountError(said("range runs high to low"))
        return low, high
    if _HAS_UNIT.search(raw):
        raise AmountError(said(
            "holds a unit: put a plain number here and e.g. 'bn EUR' in unit"))
    raise AmountError(said("not a number"))



def parse_amount_column(
    cells: pd.Series, *, allow_range: bool, decimal_comma: bool = False
) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
    """Parse a column of amount cells in bulk.

    Returns (low, high, errors): `high` is NaN where the cell held a single
    number; `errors` maps the position of each bad cell to its message.
    Clean numeric cells take a vectorised path; only the rest are parsed one
    by one.
    """
    n = len(cells)
    low = np.full(n, np.nan)
    high = np.full(n, np.nan)
    errors: dict[int, str] = {}
    if decimal_comma:
        slow = np.ones(n, dtype=bool)
    else:
        good, values = _plain_numbers(cells)
        low[good] = values[good]
        slow = ~good
    for pos in np.flatnonzero(slow):
        cell = str(cells.iat[pos])
        try:
            lo, hi = parse_amount(cell, allow_range=allow_range, decimal_comma=decimal_comma)
        except (AmountError, ValueError) as exc:
            why = exc.args[0] if exc.args and isinstance(exc.args[0], Said) else str(exc)
            errors[int(pos)] = Said("'{value}' — {why}", {"value": _clip(cell), "why": why})
            continue
        low[pos] = lo
        if hi is not None:
            high[pos] = hi
    return low, high, errors


def _plain_numbers(cells: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(mask, values) for cells that are plain decimals like `95` or `12.5`, in bulk
    with Arrow compute; every other cell goes through parse_amount."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if _digits_and_points(cells):  # the usual column: every cell parsed by one cast
        try:
            values = pc.cast(cells.array.__arrow_array__(), pa.float64()).to_numpy(
                zero_copy_only=False)
        except pa.ArrowInvalid:  # an empty cell, or one like "1.2.3": cell by cell below
            pass
        else:
            return np.isfinite(values), values
    text = pa.array(cells, type=pa.string(), from_pandas=True)
    text = pc.fill_null(text, "")
    plain = pc.match_substring_regex(text, r"^\s*\d+(\.\d*)?\s*$")
    trimmed = pc.utf8_trim_whitespace(pc.if_else(plain, text, "0"))
    values = pc.cast(trimmed, pa.float64()).to_numpy(zero_copy_only=False)
    good = plain.to_numpy(zero_copy_only=False) & np.isfinite(values)
    return good, values


def _digits_and_points(cells: pd.Series) -> bool:
    """Whether Arrow holds the column and its cells hold nothing but digits and
    decimal points (no null): then a cell Arrow's cast accepts is a plain decimal,
    and the cast reads it as the pattern below would."""
    from ledger.core.frames import every_byte, text_bytes

    return not cells.hasnans and every_byte(
        text_bytes(cells), lambda part: ((part >= 0x30) & (part <= 0x39)) | (part == 0x2E))


def _clip(text: str, limit: int = 40) -> str:
    text = text.replace("\n", " ").replace("\r", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"

