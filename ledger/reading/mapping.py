"""Someone else's table turned into a funding CSV through a column mapping.

A mapping (JSON, `"version": 1`) says, for each of our columns, where its cells
come from: one of their columns (`"column"`), the first non-empty of several
(`"columns"`), a constant (`"value"`) or a template over their columns
(`"template": "{donor}: {aid_type_specific}"`, with `{_row}` and `{_sheet}`),
with a value map for coded columns (`"values": {"Military": "military"}`,
matched after trimming, case-insensitively; `"match": "contains"` matches a key
inside the cell), country names read as codes (`"countries": true`), a
fallback column used where the first is empty or zero on rows that say so, and
a date from a month index (`"month_index"`). `"rows": "ledger"` maps each of
their rows to one of ours; `"rows": "entries"` reads each as an aid entry — a
flow from a source per donor to a need per category, both created and summed
from the entries. Never a silent guess: a required column left unmapped, or a
coded value the map lacks, is a problem naming their row and column.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledger.core.paths import shipped as data_file
from ledger.core.problems import LedgerError, Problem
from ledger.reading.schema import COLUMNS, REQUIRED
from ledger.reading.sheets import Table

VERSION = 1
ROWS = ("ledger", "entries")
ENTRY_COLUMNS = ("donor", "category", "low", "high", "unit", "date", "status", "instrument",
                 "industry", "name", "ref", "note", "id", "end", "tags")
ENTRY_REQUIRED = ("donor", "category", "low", "unit", "date")
_FIELD = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class Mapping:
    rows: str = "ledger"
    columns: dict[str, dict[str, Any]] = field(default_factory=dict)
    sheet: str | None = None
    name: str = ""
    detect: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        data: dict[str, Any] = {"version": VERSION, "name": self.name, "rows": self.rows}
        if self.sheet:
            data["sheet"] = self.sheet
        if self.detect:
            data["detect"] = self.detect
        data["columns"] = self.columns
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def sources(self) -> dict[str, list[str]]:
        """Their columns each of ours reads (to name their column in a problem)."""
        used: dict[str, list[str]] = {}
        for ours, spec in self.columns.items():
            names = list(spec.get("columns", [])) + ([spec["column"]] if "column" in spec
                                                     else [])
            names += _FIELD.findall(str(spec.get("template", "")))
            if "fallback" in spec:
                names.append(spec["fallback"].get("column", ""))
            used[ours] = [n for n in names if n and not n.startswith("_")]
        return used


MAX_MAPPING_BYTES = 1_000_000  # a mapping of every column with its value maps: a few kB
MAX_MAPPING_DEPTH = 8  # mapping → columns → a spec → fallback → only_if: four levels


def read_mapping(path: Path) -> bytes:
    """A mapping file's bytes, never more than MAX_MAPPING_BYTES (a device such as
    /dev/zero is refused at the cap, not read to its end)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_MAPPING_BYTES + 1)
    except OSError as exc:
        raise LedgerError([Problem(None, None, f"the mapping cannot be read: "
                                               f"{exc.strerror or exc}")]) from None
    if len(data) > MAX_MAPPING_BYTES:
        raise LedgerError([Problem(None, None, "the mapping is too large: at most "
                                               f"{MAX_MAPPING_BYTES:,} bytes")])
    return data


_MONTH = re.compile(r"(19|20)\d\d-(0[1-9]|1[0-2])")


def parse(text: str | bytes) -> Mapping:
    """A mapping from JSON, checked: every problem at once. Refused whole when larger
    than MAX_MAPPING_BYTES or nested deeper than MAX_MAPPING_DEPTH."""
    if len(text) > MAX_MAPPING_BYTES:
        raise LedgerError([Problem(None, None, "the mapping is too large: at most "
                                               f"{MAX_MAPPING_BYTES:,} bytes")])
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise LedgerError([Problem(None, None, f"the mapping is not JSON: {exc}")]) from None
    except RecursionError:
        data = None  # nested past what the parser follows: deeper than any mapping
    if data is None or _depth(data) > MAX_MAPPING_DEPTH:
        raise LedgerError([Problem(None, None, "the mapping is nested too deeply: at most "
                                               f"{MAX_MAPPING_DEPTH} levels")])
    problems = []
    if not isinstance(data, dict):
        raise LedgerError([Problem(None, None, "the mapping must be a JSON object")])
    if data.get("version") != VERSION:
        problems.append(Problem(None, "version", f"the mapping's version must be {VERSION}"))
    rows = data.get("rows", "ledger")
    if rows not in ROWS:
        problems.append(Problem(None, "rows", f"'{rows}' — use ledger or entries"))
    columns = data.get("columns")
    if not isinstance(columns, dict):
        problems.append(Problem(None, "columns", "missing: an object of our columns"))
        columns = {}
    known = ENTRY_COLUMNS if rows == "entries" else (*COLUMNS, "amount")
    for ours, spec in columns.items():
        if ours not in known:
            problems.append(Problem(None, ours, f"not one of our columns ({', '.join(known)})"))
        if not isinstance(spec, dict) or not {"column", "columns", "value",
                                               "template"} & set(spec):
            problems.append(Problem(None, ours, "give column, columns, value or template"))
            continue
        problems.extend(Problem(None, ours, why) for why in _spec_problems(spec))
    required = ENTRY_REQUIRED if rows == "entries" else REQUIRED
    for ours in required:
        if ours not in columns and not (ours == "low" and "amount" in columns):
            problems.append(Problem(None, ours, "not mapped: every required column needs a "
                                    "column of yours, a constant or a template"))
    if problems:
        raise LedgerError(problems)
    return Mapping(rows=rows, columns=columns, sheet=data.get("sheet"),
                   name=str(data.get("name", "")), detect=data.get("detect") or {})


_KINDS_OF_KEYS: dict[str, tuple[type, ...]] = {
    "column": (str,), "columns": (list,), "value": (str, int, float), "template": (str,),
    "values": (dict,), "fallback": (dict,), "countries": (bool,), "optional": (bool,),
    "match": (str,), "otherwise": (str, int, float),
}


def _depth(value: object, limit: int = MAX_MAPPING_DEPTH + 1) -> int:
    """How deeply `value` nests (stops counting past `limit`)."""
    if limit <= 0 or not isinstance(value, (dict, list)):
        return 0
    inner = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(v, limit - 1) for v in inner), default=0)


def _spec_problems(spec: dict[str, Any]) -> list[str]:
    """What is wrong with one column's spec (a mapping is typed by people)."""
    found = []
    for key, value in spec.items():
        wanted = _KINDS_OF_KEYS.get(key)
        if wanted is None:
            found.append(f"'{str(key)[:30]}' is not a key of a column's spec ("
                         + ", ".join(_KINDS_OF_KEYS) + ")")
        elif not isinstance(value, wanted) or (isinstance(value, bool) and bool not in wanted):
            found.append(f"'{key}' must be {' or '.join(t.__name__ for t in wanted)}")
    if isinstance(spec.get("columns"), list) and not all(
            isinstance(c, str) for c in spec["columns"]):
        found.append("'columns' must list column names")
    if isinstance(spec.get("values"), dict) and not all(
            isinstance(v, (str, int, float)) for v in spec["values"].values()):
        found.append("'values' must map their values to ours (text)")
    fallback = spec.get("fallback")
    if isinstance(fallback, dict) and not (isinstance(fallback.get("column"), str) or
                                           isinstance(fallback.get("month_index"), str)):
        found.append("'fallback' needs a column or a month_index (a column name)")
    if isinstance(fallback, dict) and not isinstance(fallback.get("only_if", {}), dict):
        found.append("'fallback' 'only_if' must map columns to values")
    if isinstance(fallback, dict) and "first" in fallback and not (
            isinstance(fallback["first"], str) and _MONTH.fullmatch(fallback["first"])):
        found.append("'fallback' 'first' is the month of index 1, as YYYY-MM (2022-01)")
    if spec.get("match") not in (None, "contains", "exact"):
        found.append("'match' is contains or exact")
    return found


def identity(header: list[str]) -> Mapping:
    """Our own columns, each from the column of the same name."""
    present = {h.strip().lower(): h for h in header if h.strip()}
    return Mapping(columns={c: {"column": present[c]} for c in (*COLUMNS, "amount")
                            if c in present})


def is_ours(header: list[str]) -> bool:
    names = {h.strip().lower() for h in header}
    return set(REQUIRED) - {"low"} <= names and bool({"low", "amount"} & names)


def shipped_mappings() -> dict[str, Mapping]:
    """The mappings in data/mappings/, by file name."""
    folder = data_file("mappings")
    return {path.stem: parse(path.read_text(encoding="utf-8"))
            for path in sorted(folder.glob("*.json"))} if folder.is_dir() else {}


def detect(table: Table) -> tuple[str, Mapping] | None:
    """("ours", identity) when the headers are ours; a shipped mapping whose sheet and
    headers match; else None: the user maps it."""
    if is_ours(table.header):
        return "ours", identity(table.header)
    present = {h.strip() for h in table.header}
    for name, mapping in shipped_mappings().items():
        wanted = set(mapping.detect.get("headers", []))
        sheet = mapping.detect.get("sheet")
        if wanted and wanted <= present and (sheet is None or sheet == table.sheet):
            return name, mapping
    return None


# -- applying a mapping ---------------------------------------------------------

def country_codes() -> dict[str, str]:
    """English country names (data/blocs.csv) and common variants → our codes."""
    names: dict[str, str] = {}
    with open(data_file("blocs.csv"), encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            names[row["name"].strip().lower()] = row["code"]
            names[row["code"].strip().lower()] = row["code"]
    aliases = data_file("mappings") / "country-names.csv"
    if aliases.exists():
        with open(aliases, encoding="utf-8") as stream:
            for row in csv.DictReader(stream):
                names[row["name"].strip().lower()] = row["code"].strip()
    return names


class _Reader:
    """Cells of one of their rows by header, with their row number and sheet."""

    def __init__(self, table: Table):
        self.index = {h.strip(): i for i, h in enumerate(table.header) if h.strip()}
        self.lower = {h.lower(): i for h, i in self.index.items()}
        self.sheet = table.sheet

    def has(self, name: str) -> bool:
        return name.strip() in self.index or name.strip().lower() in self.lower

    def get(self, cells: list[str], name: str) -> str:
        i = self.index.get(name.strip(), self.lower.get(name.strip().lower()))
        return cells[i].strip() if i is not None and i < len(cells) else ""


def apply(table: Table, mapping: Mapping) -> bytes:
    """Their table as a funding CSV whose rows keep their row numbers (blank lines
    where their rows were empty), created rows after; or every problem at once,
    naming their row and their column."""
    reader = _Reader(table)
    problems: list[Problem] = []
    sources = mapping.sources()
    for ours, names in sources.items():
        if mapping.columns[ours].get("optional"):
            continue  # a column some tables have: read as empty where it is missing
        for name in names:
            if not reader.has(name):
                problems.append(Problem(table.header_row, name, f"no such column in sheet "
                                        f"'{table.sheet}' (mapped to our {ours})"))
    if problems:
        raise LedgerError(problems)
    countries = country_codes() if any(s.get("countries") for s in mapping.columns.values()) \
        else {}
    columns = COLUMNS if mapping.rows == "entries" else tuple(
        c for c in (*COLUMNS, "amount") if c in mapping.columns)
    out: list[tuple[int, dict[str, str]]] = []
    for number, cells in table.rows:
        row: dict[str, str] = {}
        for ours, spec in mapping.columns.items():
            value, problem = _cell(spec, cells, reader, number, countries)
            if problem:
                column = (sources.get(ours) or [ours])[0]
                problems.append(Problem(number, column, f"{problem} (for our {ours})"))
            row[ours] = value
        out.append((number, row))
    if problems:
        raise LedgerError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    if mapping.rows == "entries":
        out = _entries(out, table)
    return _csv(columns, out, table.header_row)


def _cell(spec: dict[str, Any], cells: list[str], reader: _Reader, number: int,
          countries: dict[str, str]) -> tuple[str, str | None]:
    if "value" in spec:
        value = str(spec["value"])
    elif "template" in spec:
        def field_of(match: re.Match[str]) -> str:
            name = match.group(1)
            return {"_row": str(number), "_sheet": reader.sheet}.get(
                name, reader.get(cells, name))
        value = _FIELD.sub(field_of, str(spec["template"])).strip()
    else:
        names = spec.get("columns") or [spec["column"]]
        value = next((v for v in (reader.get(cells, n) for n in names) if v), "")
    fallback = spec.get("fallback")
    if fallback and _empty(value, fallback) and _applies(fallback, cells, reader):
        if "month_index" in fallback:
            value = _month(reader.get(cells, fallback["month_index"]), fallback)
        else:
            value = reader.get(cells, fallback["column"])
    if spec.get("countries") and value:
        code = countries.get(value.lower())
        if code is None:
            return value, (f"'{value[:40]}' is not a country name we know: add it to the "
                           "mapping's values or to data/mappings/country-names.csv")
        value = code
    values = spec.get("values")
    if values and value:
        found = _lookup(values, value, spec.get("match") == "contains")
        if found is None:
            if "otherwise" in spec:
                return str(spec["otherwise"]), None
            return value, (f"'{value[:40]}' is not in the mapping's values ("
                           + ", ".join(list(values)[:6]) + ")")
        value = found
    elif values is not None and not value and "otherwise" in spec:
        value = str(spec["otherwise"])
    return value, None


def _lookup(values: dict[str, str], cell: str, contains: bool) -> str | None:
    key = cell.strip().lower()
    for theirs, ours in values.items():
        wanted = theirs.strip().lower()
        if key == wanted or (contains and wanted and wanted in key):
            return str(ours)
    return None


def _empty(value: str, fallback: dict[str, Any]) -> bool:
    if "month_index" in fallback:
        return not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
    return value == "" or (bool(fallback.get("when_zero")) and _is_zero(value))


def _is_zero(value: str) -> bool:
    try:
        return float(value) == 0
    except ValueError:
        return False


def _applies(fallback: dict[str, Any], cells: list[str], reader: _Reader) -> bool:
    only = fallback.get("only_if") or {}
    return all(reader.get(cells, k).lower() == str(v).strip().lower() for k, v in only.items())


def _month(index: str, fallback: dict[str, Any]) -> str:
    """Month 1 = the first month given (`"first": "2022-01"`); 0 or text: no date."""
    try:
        months = int(float(index))
    except ValueError:
        return ""
    if months < 1:
        return ""
    year, month = (int(p) for p in str(fallback.get("first", "2022-01")).split("-")[:2])
    total = year * 12 + month - 1 + months - 1
    return f"{total // 12:04d}-{total % 12 + 1:02d}-01"


def _entries(out: list[tuple[int, dict[str, str]]], table: Table
             ) -> list[tuple[int, dict[str, str]]]:
    """Each entry a flow from a source per donor to a need per category; the created
    rows carry the sums of their entries (a tracker records money, not needs). A
    donor or category whose entries come in several units gets one row per unit."""
    units_of: dict[tuple[str, str], set[str]] = {}
    for _, row in out:
        unit = row.get("unit", "")
        units_of.setdefault(("source", row.get("donor", "")), set()).add(unit)
        units_of.setdefault(("need", row.get("category", "").lower()), set()).add(unit)

    def node(kind: str, label: str, unit: str) -> str:
        base = f"{'donor' if kind == 'source' else 'need'}-{label}"
        if len(units_of[(kind, label)]) > 1:
            base += "-" + re.sub(r"[^A-Za-z0-9]+", "-", unit).strip("-").lower()
        return base

    flows = []
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for number, row in out:
        donor, category, unit = row.get("donor", ""), row.get("category", "").lower(), \
            row.get("unit", "")
        flow = {**row, "kind": "flow", "from": node("source", donor, unit),
                "to": node("need", category, unit), "id": row.get("id") or f"row-{number}",
                "name": row.get("name") or f"{donor} for {category}",
                "industry": row.get("industry") or "unknown", "donor": "",
                "category": category}
        flows.append((number, flow))
        for kind, label in (("source", donor), ("need", category)):
            group = groups.setdefault((kind, label, unit), {"low": 0.0, "high": 0.0,
                                                            "date": "", "rows": 0})
            try:
                low = float(row.get("low") or 0)
                high = float(row.get("high") or row.get("low") or 0)
            except ValueError:
                continue  # the flow's own check names the cell
            group["low"] += low
            group["high"] += high
            group["rows"] += 1
            day = row.get("date", "")
            if day and (not group["date"] or day < group["date"]):
                group["date"] = day
    created = []
    for (kind, label, unit), group in sorted(groups.items()):
        in_unit = f" in {unit}" if len(units_of[(kind, label)]) > 1 else ""
        created.append({
            "id": node(kind, label, unit), "kind": kind,
            "category": label if kind == "need" else "",
            "name": (f"{label}{in_unit} (from {group['rows']:,} entries)" if kind == "source"
                     else f"{label.capitalize()} aid{in_unit} (the entries' sum)"),
            "low": _number(group["low"]), "high": _number(group["high"]), "unit": unit,
            "date": group["date"], "donor": label if kind == "source" else "",
            "status": "estimate", "ref": f"created from the entries of sheet '{table.sheet}'",
            "note": ("a tracker records money given, not needs: this need is what its "
                     "entries sum to" if kind == "need" else "the sum of this donor's entries"),
        })
    last = max((n for n, _ in out), default=table.header_row)
    return flows + [(last + 1 + i, row) for i, row in enumerate(created)]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _csv(columns: tuple[str, ...], rows: list[tuple[int, dict[str, str]]],
         header_row: int) -> bytes:
    """Our header on their header's line, each row on its own line number."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    buffer.write("\n" * (header_row - 1))
    writer.writerow(columns)
    line = header_row
    for number, row in sorted(rows, key=lambda item: item[0]):
        buffer.write("\n" * max(0, number - line - 1))
        writer.writerow([row.get(c, "") for c in columns])
        line = number
    return buffer.getvalue().encode("utf-8")


def their_column(mapping: Mapping) -> Callable[[str | None], str | None]:
    """Our column → the column of theirs it reads, for naming problems in their terms."""
    sources = mapping.sources()

    def name(ours: str | None) -> str | None:
        if ours is None:
            return None
        theirs = sources.get(ours)
        return f"{theirs[0]} (our {ours})" if theirs else ours
    return name
