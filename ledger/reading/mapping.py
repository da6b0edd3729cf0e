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
from the entries, the needs with no stated size (a tracker records money given,
not needs). For entries, `"stages"` reads one row as the same money at several
stages (Kiel: a commitment and its allocation), each a flow, the later one
`fulfils` the earlier; `"negatives": "corrections"` keeps negative amounts as
corrections netted into the same donor's, type's and stage's largest entry; a
column's `"empty"` gives the value for cells it leaves empty (`"empty_tag"` tags
such rows: an unknown date). Never a silent guess: a required column left
unmapped, or a coded value the map lacks, is a problem naming their row and column.
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
from ledger.core.problems import LedgerError, Problem, said
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
    # entries only: {"column": their column, "values": {their value: {our status:
    # their amount column, ...}}}: one flow per stage, the later fulfilling the earlier
    stages: dict[str, Any] = field(default_factory=dict)
    negatives: str = ""  # "corrections": negative amounts netted, not refused

    def to_json(self) -> str:
        data: dict[str, Any] = {"version": VERSION, "name": self.name, "rows": self.rows}
        if self.sheet:
            data["sheet"] = self.sheet
        if self.detect:
            data["detect"] = self.detect
        if self.stages:
            data["stages"] = self.stages
        if self.negatives:
            data["negatives"] = self.negatives
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
                names.append(spec["fallback"].get("month_index", ""))
            used[ours] = [n for n in names if n and not n.startswith("_")]
        if self.stages:
            used["stages"] = [self.stages.get("column", ""), *(
                column for stage in self.stages.get("values", {}).values()
                for column in stage.values())]
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
        raise LedgerError([Problem(None, None, said(
            "the mapping cannot be read: {error}", error=str(exc.strerror or exc)))]) from None
    if len(data) > MAX_MAPPING_BYTES:
        raise LedgerError([Problem(None, None, said(
            "the mapping is too large: at most {limit} bytes", limit=MAX_MAPPING_BYTES))])
    return data


_MONTH = re.compile(r"(19|20)\d\d-(0[1-9]|1[0-2])")


def loads(text: str | bytes) -> Any:
    """JSON typed or sent for a mapping (a whole one, or one column's spec), within
    the size and depth of a mapping; else one problem saying which (never a
    RecursionError, never a parse of megabytes in the server)."""
    if len(text) > MAX_MAPPING_BYTES:
        raise LedgerError([Problem(None, None, said(
            "the mapping is too large: at most {limit} bytes", limit=MAX_MAPPING_BYTES))])
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise LedgerError([Problem(None, None, said("the mapping is not JSON: {error}",
                                                    error=str(exc)))]) from None
    except RecursionError:
        data = None  # nested past what the parser follows: deeper than any mapping
    if data is None or _depth(data) > MAX_MAPPING_DEPTH:
        raise LedgerError([Problem(None, None, said(
            "the mapping is nested too deeply: at most {limit} levels",
            limit=MAX_MAPPING_DEPTH))])
    return data


def parse(text: str | bytes) -> Mapping:
    """A mapping from JSON, checked: every problem at once. Refused whole when larger
    than MAX_MAPPING_BYTES or nested deeper than MAX_MAPPING_DEPTH."""
    data = loads(text)
    problems = []
    if not isinstance(data, dict):
        raise LedgerError([Problem(None, None, said("the mapping must be a JSON object"))])
    if data.get("version") != VERSION:
        problems.append(Problem(None, "version", said("the mapping's version must be {version}",
                                                      version=str(VERSION))))
    rows = data.get("rows", "ledger")
    if rows not in ROWS:
        problems.append(Problem(None, "rows", said("'{rows}' — use ledger or entries",
                                                   rows=str(rows))))
    columns = data.get("columns")
    if not isinstance(columns, dict):
        problems.append(Problem(None, "columns", said("missing: an object of our columns")))
        columns = {}
    known = ENTRY_COLUMNS if rows == "entries" else (*COLUMNS, "amount")
    for ours, spec in columns.items():
        if ours not in known:
            problems.append(Problem(None, ours, said("not one of our columns ({known})",
                                                     known=", ".join(known))))
        if not isinstance(spec, dict) or not {"column", "columns", "value",
                                               "template"} & set(spec):
            problems.append(Problem(None, ours, said("give column, columns, value or "
                                                     "template")))
            continue
        problems.extend(Problem(None, ours, why) for why in _spec_problems(spec))
    stages = data.get("stages") or {}
    problems.extend(Problem(None, "stages", why) for why in _stages_problems(stages, rows))
    negatives = data.get("negatives", "")
    if negatives not in ("", "corrections"):
        problems.append(Problem(None, "negatives", said(
            "'{value}' — use corrections, or leave it out to refuse negative amounts",
            value=str(negatives)[:30])))
    required: tuple[str, ...] = ENTRY_REQUIRED if rows == "entries" else REQUIRED
    if stages:
        required = tuple(c for c in required if c != "low")  # each stage names its amount
    for ours in required:
        if ours not in columns and not (ours == "low" and "amount" in columns):
            problems.append(Problem(None, ours, said(
                "not mapped: every required column needs a column of yours, a constant or "
                "a template")))
    if problems:
        raise LedgerError(problems)
    return Mapping(rows=rows, columns=columns, sheet=data.get("sheet"),
                   name=str(data.get("name", "")), detect=data.get("detect") or {},
                   stages=stages, negatives=negatives)


def _stages_problems(stages: object, rows: str) -> list[str]:
    """What is wrong with `"stages"`: entries only, a column, and for each of their
    values our stages (in order) each read from a column of theirs."""
    from ledger.reading.references import STAGE_ORDER

    if not stages:
        return []
    if rows != "entries":
        return [said("stages read entries: set \"rows\": \"entries\"")]
    if not isinstance(stages, dict) or not isinstance(stages.get("column"), str) or \
            not isinstance(stages.get("values"), dict) or not stages["values"]:
        return [said("give the column that says the stage and, for each of its values, our "
                     "stages and the columns of the amounts: {example}", example=(
                         '{"column": "measure", "values": {"Allocation": {"committed": ..., '
                         '"allocated": ...}}}'))]
    found: list[str] = []
    for theirs, by_stage in stages["values"].items():
        if not isinstance(by_stage, dict) or not by_stage or not all(
                isinstance(c, str) and c for c in by_stage.values()):
            found.append(said("'{value}': map our stages to columns of amounts",
                              value=str(theirs)[:30]))
            continue
        unknown = [k for k in by_stage if k not in STAGE_ORDER]
        if unknown:
            found.append(said("'{value}': '{stage}' is not a stage ({stages})",
                              value=str(theirs)[:30], stage=unknown[0][:20],
                              stages=", ".join(STAGE_ORDER)))
    return found


_KINDS_OF_KEYS: dict[str, tuple[type, ...]] = {
    "column": (str,), "columns": (list,), "value": (str, int, float), "template": (str,),
    "values": (dict,), "fallback": (dict,), "countries": (bool,), "optional": (bool,),
    "match": (str,), "otherwise": (str, int, float), "empty": (str, int, float),
    "empty_tag": (str,),
}


def _depth(value: object, limit: int = MAX_MAPPING_DEPTH + 1) -> int:
    """How deeply `value` nests (stops counting past `limit`)."""
    if limit <= 0 or not isinstance(value, (dict, list)):
        return 0
    inner = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(v, limit - 1) for v in inner), default=0)


def _spec_problems(spec: dict[str, Any]) -> list[str]:
    """What is wrong with one column's spec (a mapping is typed by people)."""
    found: list[str] = []
    for key, value in spec.items():
        wanted = _KINDS_OF_KEYS.get(key)
        if wanted is None:
            found.append(said("'{key}' is not a key of a column's spec ({keys})",
                              key=str(key)[:30], keys=", ".join(_KINDS_OF_KEYS)))
        elif not isinstance(value, wanted) or (isinstance(value, bool) and bool not in wanted):
            found.append(said("'{key}' must be {kinds}", key=key,
                              kinds=" | ".join(t.__name__ for t in wanted)))
    if isinstance(spec.get("columns"), list) and not all(
            isinstance(c, str) for c in spec["columns"]):
        found.append(said("'columns' must list column names"))
    if isinstance(spec.get("values"), dict) and not all(
            isinstance(v, (str, int, float)) for v in spec["values"].values()):
        found.append(said("'values' must map their values to ours (text)"))
    fallback = spec.get("fallback")
    if isinstance(fallback, dict) and not (isinstance(fallback.get("column"), str) or
                                           isinstance(fallback.get("month_index"), str)):
        found.append(said("'fallback' needs a column or a month_index (a column name)"))
    if isinstance(fallback, dict) and not isinstance(fallback.get("only_if", {}), dict):
        found.append(said("'fallback' 'only_if' must map columns to values"))
    if isinstance(fallback, dict) and "first" in fallback and not (
            isinstance(fallback["first"], str) and _MONTH.fullmatch(fallback["first"])):
        found.append(said("'fallback' 'first' is the month of index 1, as YYYY-MM "
                          "(2022-01)"))
    if spec.get("match") not in (None, "contains", "exact"):
        found.append(said("'match' is contains or exact"))
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
        if mapping.columns.get(ours, {}).get("optional"):
            continue  # a column some tables have: read as empty where it is missing
        for name in names:
            if not reader.has(name):
                problems.append(Problem(table.header_row, name, said(
                    "no such column in sheet '{sheet}' (mapped to our {ours})",
                    sheet=table.sheet, ours=ours)))
    if problems:
        raise LedgerError(problems)
    countries = country_codes() if any(s.get("countries") for s in mapping.columns.values()) \
        else {}
    columns = COLUMNS if mapping.rows == "entries" else tuple(
        c for c in (*COLUMNS, "amount") if c in mapping.columns)
    out: list[tuple[int, dict[str, str]]] = []
    staged: dict[int, list[tuple[str, float]]] = {}  # their row → its amount per stage
    for number, cells in table.rows:
        row: dict[str, str] = {}
        tags: list[str] = []
        for ours, spec in mapping.columns.items():
            value, problem = _cell(spec, cells, reader, number, countries)
            if problem:
                column = (sources.get(ours) or [ours])[0]
                problems.append(Problem(number, column, said("{problem} (for our {ours})",
                                                             problem=problem, ours=ours)))
            if not value and "empty" in spec:  # a value for cells their column leaves empty
                value = str(spec["empty"])
                tags += [spec["empty_tag"]] if spec.get("empty_tag") else []
            if spec.get("countries") and ours == "donor":
                row["_donor_name"] = _raw(spec, cells, reader)
            row[ours] = value
        if tags:
            row["tags"] = ";".join(t for t in (row.get("tags", ""), *tags) if t)
        if mapping.stages:
            staged[number], found = _stage_amounts(mapping, cells, reader, number)
            problems += found
        out.append((number, row))
    if problems:
        raise LedgerError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    if mapping.rows == "entries":
        out = _entries(out, table, mapping.negatives == "corrections", staged)
    return _csv(columns, out, table.header_row)


def _raw(spec: dict[str, Any], cells: list[str], reader: _Reader) -> str:
    names = spec.get("columns") or ([spec["column"]] if "column" in spec else [])
    return next((v for v in (reader.get(cells, n) for n in names) if v), "")


def _stage_amounts(mapping: Mapping, cells: list[str], reader: _Reader, number: int
                   ) -> tuple[list[tuple[str, float]], list[Problem]]:
    """The row's amount at each stage its stage column names, in stage order (an
    empty cell is 0), or the problems naming their row and column."""
    from ledger.reading.references import STAGE_ORDER

    column = mapping.stages["column"]
    stated = reader.get(cells, column)
    by_stage = next((v for k, v in mapping.stages["values"].items()
                     if k.strip().lower() == stated.strip().lower()), None)
    if by_stage is None:
        return [], [Problem(number, column, said(
            "'{value}' is not in the mapping's stages ({stages})", value=stated[:40],
            stages=", ".join(list(mapping.stages["values"])[:6])))]
    amounts, problems = [], []
    for stage in sorted(by_stage, key=STAGE_ORDER.index):
        cell = reader.get(cells, by_stage[stage])
        try:
            amount = float(cell) if cell else 0.0
        except ValueError:
            problems.append(Problem(number, by_stage[stage], said(
                "'{value}' is not a number (the amount {stage})", value=cell[:40],
                stage=stage)))
            continue
        if amount != amount or amount in (float("inf"), float("-inf")):
            problems.append(Problem(number, by_stage[stage], said(
                "'{value}' is not a number (the amount {stage})", value=cell[:40],
                stage=stage)))
        elif amount < 0 and mapping.negatives != "corrections":
            problems.append(Problem(number, by_stage[stage], said(
                "{value} is negative: if the table's negative amounts correct earlier "
                'entries, set "negatives": "corrections" in the mapping', value=cell)))
        else:
            amounts.append((stage, amount))
    return amounts, problems


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
            return value, said("'{value}' is not a country name we know: add it to the "
                               "mapping's values or to data/mappings/country-names.csv",
                               value=value[:40])
        value = code
    values = spec.get("values")
    if values and value:
        found = _lookup(values, value, spec.get("match") == "contains")
        if found is None:
            if "otherwise" in spec:
                return str(spec["otherwise"]), None
            return value, said("'{value}' is not in the mapping's values ({values})",
                               value=value[:40], values=", ".join(list(values)[:6]))
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


def _entries(out: list[tuple[int, dict[str, str]]], table: Table,
             corrections: bool = False, staged: dict[int, list[tuple[str, float]]] | None = None
             ) -> list[tuple[int, dict[str, str]]]:
    """Each entry a flow (one per stage when the mapping reads stages, the later one
    fulfilling the earlier) from a source per donor to a need per category. Created
    needs state no size: a tracker records money given, not needs, so it shows no gap.
    A source holds its entries' money counted once (each entry at its furthest
    stage). Donors that are not countries (EU institutions, several donors) keep a
    source per name. A donor or category whose entries come in several units gets one
    row per unit. With `corrections`, negative amounts are netted (_net)."""
    nodes = _Nodes(out)
    flows: list[tuple[int, dict[str, str]]] = []
    later: list[dict[str, str]] = []
    for number, row in out:
        base = nodes.flow(number, row)
        stages = (staged or {}).get(number)
        if stages is None:
            flows.append((number, base))
            continue
        earlier = ""
        for i, (stage, amount) in enumerate(stages):
            flow = {**base, "status": stage, "low": _number(amount), "high": "",
                    "fulfils": earlier, "name": f"{base['name']} ({stage})"}
            if i:
                flow["id"] = f"{base['id']}-{stage}"
                later.append(flow)
            else:
                flows.append((number, flow))
            earlier = flow["id"]
    every = [f for _, f in flows] + later
    problems = _net(every, table) if corrections else []
    if problems:
        raise LedgerError(problems)
    created = nodes.created(out, every, table)
    last = max((n for n, _ in out), default=table.header_row)
    return flows + [(last + 1 + i, row) for i, row in enumerate(later + created)]


class _Nodes:
    """The sources (one per donor) and needs (one per category) entries flow between,
    per unit where a donor's or category's entries come in several."""

    def __init__(self, out: list[tuple[int, dict[str, str]]]):
        self.units_of: dict[tuple[str, str], set[str]] = {}
        self.names: dict[str, str] = {}
        for _, row in out:
            unit = row.get("unit", "")
            key = _donor_key(row)
            self.units_of.setdefault(("source", key), set()).add(unit)
            self.units_of.setdefault(("need", row.get("category", "").lower()), set()).add(unit)
            self.names[key] = row.get("_donor_name") or row.get("donor", "")

    def node(self, kind: str, label: str, unit: str) -> str:
        base = f"{'donor' if kind == 'source' else 'need'}-{_slug(label)}"
        if len(self.units_of[(kind, label)]) > 1:
            base += "-" + _slug(unit).lower()
        return base

    def flow(self, number: int, row: dict[str, str]) -> dict[str, str]:
        """The entry as a flow from its donor's source to its category's need."""
        key, category, unit = _donor_key(row), row.get("category", "").lower(), \
            row.get("unit", "")
        base = {k: v for k, v in row.items() if not k.startswith("_")}
        return base | {"kind": "flow", "from": self.node("source", key, unit),
                       "to": self.node("need", category, unit),
                       "id": row.get("id") or f"row-{number}",
                       "name": row.get("name") or f"{self.names[key]} for {category}",
                       "industry": row.get("industry") or "unknown", "donor": "",
                       "category": category}

    def created(self, out: list[tuple[int, dict[str, str]]], every: list[dict[str, str]],
                table: Table) -> list[dict[str, str]]:
        """The sources and needs, each once: a source holds its entries' money at each
        entry's furthest stage; a need states no size."""
        sums, first_day = _node_sums(every)
        created, seen = [], set()
        for _, row in out:
            key, category, unit = _donor_key(row), row.get("category", "").lower(), \
                row.get("unit", "")
            for kind, label in (("source", key), ("need", category)):
                node_id = self.node(kind, label, unit)
                if node_id in seen:
                    continue
                seen.add(node_id)
                in_unit = f" in {unit}" if len(self.units_of[(kind, label)]) > 1 else ""
                amount, rows = sums.get(node_id, (0.0, 0))
                created.append({
                    "id": node_id, "kind": kind, "category": label if kind == "need" else "",
                    "name": (f"{self.names.get(label, label)}{in_unit}" if kind == "source"
                             else f"{label.capitalize()} aid{in_unit}"),
                    "low": _number(amount) if kind == "source" else "", "high": "",
                    "unit": unit, "date": first_day.get(node_id, row.get("date", "")),
                    "donor": row.get("donor", "") if kind == "source" else "",
                    "status": "estimate",
                    "ref": f"created from the entries of sheet '{table.sheet}'",
                    "note": ("A tracker records money given, not needs: no size is stated "
                             "for this need, so it shows its money and no gap." if kind == "need"
                             else f"The sum of this donor's {rows:,} entries, each counted "
                             "once at its furthest stage."),
                })
        return created


def _node_sums(every: list[dict[str, str]]
               ) -> tuple[dict[str, tuple[float, int]], dict[str, str]]:
    """Per source and need: the entries' money, each entry once at its furthest stage,
    and how many entries; and each node's first day."""
    furthest: dict[str, float] = {}
    root_of: dict[str, str] = {}
    for flow in every:  # an earlier stage always comes before the one fulfilling it
        root = root_of.get(flow.get("fulfils", ""), flow["id"])
        root_of[flow["id"]] = root
        try:
            money = float(flow.get("high") or flow.get("low") or 0)
        except ValueError:
            continue  # the flow's own check names the cell
        furthest[root] = max(furthest[root], money) if root in furthest else money
    ends = {f["id"]: (f["from"], f["to"]) for f in every if not f.get("fulfils")}
    sums: dict[str, tuple[float, int]] = {}
    for root, money in furthest.items():
        for node_id in ends.get(root, ()):
            amount, rows = sums.get(node_id, (0.0, 0))
            sums[node_id] = (amount + money, rows + 1)
    first_day: dict[str, str] = {}
    for flow in every:
        day = flow.get("date", "")
        for node_id in (flow["from"], flow["to"]):
            if day and (not first_day.get(node_id) or day < first_day[node_id]):
                first_day[node_id] = day
    return sums, first_day


_NOT_COUNTRIES = {"EU", "G7", "multi"}


def _donor_key(row: dict[str, str]) -> str:
    """A donor's source: its code, or for a donor that is not a country (EU
    institutions, several donors) its own name, so the EIB and the Peace Facility
    stay apart from the Commission though all are donor EU."""
    donor = row.get("donor", "")
    name = row.get("_donor_name", "")
    if donor in _NOT_COUNTRIES and name and name.strip().lower() != donor.lower():
        return f"{donor}-{name}"
    return donor


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def _net(flows: list[dict[str, str]], table: Table) -> list[Problem]:
    """Net each negative amount (a correction) into the entries of the same donor,
    type and stage, as far as it reaches, taking the entries in one order at every
    stage (the largest first stage first), so an entry's allocation is taken from
    where its commitment is: those entries are reduced by it, the correction kept at
    0, and all say so in their note and carry the tag `correction`. Only a
    correction larger than everything of its donor, type and stage together (a
    negative total, which no tracker publishes) is a problem naming its row."""
    problems: list[Problem] = []
    first_amount: dict[str, float] = {}
    root_of: dict[str, str] = {}
    for flow in flows:  # an earlier stage always comes before the one fulfilling it
        root = root_of.get(flow.get("fulfils", ""), flow["id"])
        root_of[flow["id"]] = root
        if root == flow["id"]:
            first_amount[root] = float(flow.get("low") or 0)

    def order(f: dict[str, str]) -> tuple[float, str]:
        root = root_of[f["id"]]
        return (-first_amount.get(root, 0.0), root)

    by_group: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for flow in flows:
        by_group.setdefault((flow["from"], flow["to"], flow.get("status", "")), []).append(flow)
    for group in by_group.values():
        for flow in group:
            amount = float(flow.get("low") or 0)
            if amount >= 0:
                continue
            takers = sorted((f for f in group if float(f.get("low") or 0) > 0), key=order)
            if sum(float(f["low"]) for f in takers) + amount < 0:
                problems.append(Problem(None, "low", said(
                    "{id}: a correction of {amount} larger than everything of its donor, "
                    "type and stage in sheet '{sheet}'", id=flow["id"],
                    amount=_number(amount), sheet=table.sheet)))
                continue
            left, into = -amount, []
            for target in takers:
                if left <= 0:
                    break
                taken = min(left, float(target["low"]))
                target["low"] = _number(float(target["low"]) - taken)
                target["note"] = _joined(target.get("note", ""), "Includes the table's "
                                         f"correction {flow['id']} ({_number(-taken)}), "
                                         "netted here.")
                left -= taken
                into.append(target)
            flow["low"], flow["high"] = "0", ""
            flow["note"] = _joined(flow.get("note", ""), f"A correction of {_number(amount)} "
                                   "in the table, netted into "
                                   + ", ".join(t["id"] for t in into) + ".")
            for changed in (*into, flow):
                present = [t for t in changed.get("tags", "").split(";") if t]
                changed["tags"] = ";".join(present + ([] if "correction" in present
                                                      else ["correction"]))
    return problems


def _joined(note: str, more: str) -> str:
    return f"{note} {more}".strip()


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
