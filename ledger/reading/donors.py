"""Donors of a source: one code, or a joint package listed as `DK;NO;SE` (equal
shares) or `DE:60;FR:40` (weights, normalised). Each code maps to its bloc, and
money is split between blocs by the shares."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ledger.core.problems import said

# RU-ASSETS: Russia's immobilised central-bank assets and what they earn — money
# decided by EU and G7 governments but not theirs, never counted as European money
SPECIAL_DONORS = {"EU": "EU", "G7": "G7", "MULTI": "multi", "RU-ASSETS": "RU-ASSETS"}
_CODE = re.compile(r"[A-Z]{2}")
_WEIGHT = re.compile(r"\d+(\.\d+)?")


class DonorError(ValueError):
    """A donor cell that cannot be read; the message says why."""


def parse_donors(text: str) -> tuple[tuple[str, float], ...]:
    """(code, share) pairs whose shares sum to 1; raise DonorError saying why not."""
    parts = [p.strip() for p in text.split(";")]
    if any(not p for p in parts):
        raise DonorError(said("an empty entry in the donor list (use DK;NO;SE or DE:60;FR:40)"))
    codes: list[str] = []
    weights: list[float] = []
    for part in parts:
        code, colon, weight = part.partition(":")
        code = code.strip().upper()
        code = SPECIAL_DONORS.get(code, code)
        if code not in SPECIAL_DONORS.values() and not _CODE.fullmatch(code):
            raise DonorError(said("'{part}' is not a donor code: ISO alpha-2, EU, G7, multi "
                                  "or RU-ASSETS", part=part[:40]))
        if colon and not _WEIGHT.fullmatch(weight.strip()):
            raise DonorError(said("'{part}': the weight after ':' must be a number",
                                  part=part[:40]))
        codes.append(code)
        weights.append(float(weight) if colon else 1.0)
    if len(set(codes)) < len(codes):
        raise DonorError(said("a donor is listed twice"))
    if any(":" in p for p in parts) and not all(":" in p for p in parts):
        raise DonorError(said("give a weight to every donor or to none (DE:60;FR:40)"))
    weight_sum = sum(weights)
    if weight_sum <= 0:
        raise DonorError(said("the weights sum to zero"))
    return tuple((code, w / weight_sum) for code, w in zip(codes, weights, strict=True))


def normalised(pairs: tuple[tuple[str, float], ...], text: str) -> str:
    """The cell as stored: codes upper-case, weights kept as written."""
    if ":" not in text:
        return ";".join(code for code, _ in pairs)
    written = [p.partition(":")[2].strip() for p in text.split(";")]
    return ";".join(f"{code}:{w}" for (code, _), w in zip(pairs, written, strict=True))


def bloc_shares(donors: pd.Series, blocs: dict[str, str]) -> pd.DataFrame:
    """One row per entry of `donors` (its index), one column per bloc: the share of
    the money each bloc gives (rows sum to 1; an empty cell is all Other)."""
    position, distinct = pd.factorize(donors)
    names: set[str] = {"Other"}
    mixes: list[dict[str, float]] = []
    for text in map(str, distinct):
        mix: dict[str, float] = {}
        try:
            pairs = parse_donors(text) if text else (("", 1.0),)
        except DonorError:
            pairs = (("", 1.0),)
        for code, share in pairs:
            bloc = blocs.get(code, "Other") if code else "Other"
            mix[bloc] = mix.get(bloc, 0.0) + share
        names.update(mix)
        mixes.append(mix)
    columns = sorted(names)
    table = np.array([[mix.get(c, 0.0) for c in columns] for mix in mixes] or
                     np.zeros((0, len(columns))), dtype=float).reshape(-1, len(columns))
    return pd.DataFrame(table[position] if len(position) else np.zeros((0, len(columns))),
                        index=donors.index, columns=columns)


def codes_of(donors: pd.Series) -> pd.Series:
    """Every code named in each cell (a list for joint packages), one row per code,
    indexed like `donors`."""
    filled = donors[(donors != "").to_numpy()]  # flows carry no donor: few rows remain
    position, distinct = pd.factorize(filled)
    lists = []
    for text in map(str, distinct):
        try:
            lists.append([code for code, _ in parse_donors(text)])
        except DonorError:
            lists.append([])
    spread = pd.Series([lists[p] for p in position], index=filled.index, dtype=object)
    return spread.explode().dropna().astype(str)
