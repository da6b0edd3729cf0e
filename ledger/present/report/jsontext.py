"""`json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)`, byte for byte,
without the standard library's pure-Python generator (it is used whenever `indent`
is given): a 100,000-flow report's rates section alone is 20,000 nested values."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring
from typing import Any

_PAD = [" " * (2 * level) for level in range(64)]


def dumps(value: Any) -> str:
    out: list[str] = []
    try:
        _write(value, 0, out)
    except _Unusual:  # anything json treats specially: let it decide, and say why
        return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
    return "".join(out)


class _Unusual(Exception):
    pass


def _write(value: Any, level: int, out: list[str]) -> None:
    text = _scalar(value)
    if text is not None:
        out.append(text)
    elif isinstance(value, dict):
        if not _flat(value, level, out):
            _members("{", "}", _keyed(value), len(value), level, out)
    elif isinstance(value, list | tuple):
        _members("[", "]", (("", item) for item in value), len(value), level, out)
    else:
        raise _Unusual


def _scalar(value: Any) -> str | None:
    """A string, number, boolean or null as json writes it; None for anything else."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("Out of range float values are not JSON compliant: "
                             + repr(value))
        return float.__repr__(value)
    return None


def _flat(value: dict[Any, Any], level: int, out: list[str]) -> bool:
    """An object of plain strings, numbers, booleans and nulls (a rate, a row) in one
    piece; False, writing nothing, for anything else."""
    if not value or level + 1 >= len(_PAD):
        return False
    parts = []
    for key, item in value.items():
        text = _scalar(item) if type(key) is str else None
        if text is None:
            return False
        parts.append(encode_basestring(key) + ": " + text)
    inner = _PAD[level + 1]
    out.append("{\n" + inner + (",\n" + inner).join(parts) + "\n" + _PAD[level] + "}")
    return True


def _keyed(value: dict[Any, Any]) -> Iterator[tuple[str, Any]]:
    for key, item in value.items():
        if not isinstance(key, str):
            raise _Unusual  # json turns such keys into strings its own way
        yield encode_basestring(key) + ": ", item


def _members(opening: str, closing: str, members: Iterable[tuple[str, Any]], count: int,
             level: int, out: list[str]) -> None:
    """An object's or an array's members (each after its prefix: `"key": ` or nothing),
    one per line, two spaces deeper than the brackets."""
    if not count:
        out.append(opening + closing)
        return
    if level + 1 >= len(_PAD):
        raise _Unusual
    inner = ",\n" + _PAD[level + 1]
    out.append(opening + "\n" + _PAD[level + 1])
    for i, (prefix, item) in enumerate(members):
        out.append(inner + prefix if i else prefix)
        _write(item, level + 1, out)
    out.append("\n" + _PAD[level] + closing)
