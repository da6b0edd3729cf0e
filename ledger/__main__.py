"""Command line: python -m ledger validate|report|diff|import|rates. Every
command that takes a file reads CSV, .xlsx, .xls and .ods alike."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ledger.api import FORMATS, Ledger, LedgerError, Problem

if TYPE_CHECKING:
    from ledger.api import Scenario


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ledger", description=(
        "Funding ledger: validate a funding CSV, write a gap report, compare two ledgers."))
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check a funding CSV or workbook; exit 1 "
                                "listing problems")
    check.add_argument("file", type=Path)
    check.add_argument("--sheet", help="the workbook's sheet (default: the first visible)")
    report = commands.add_parser("report", help="write a gap report")
    report.add_argument("file", type=Path)
    report.add_argument("--sheet", help="the workbook's sheet (default: the first visible)")
    report.add_argument("--scenario", metavar="QUERY", help="a dashboard link, or its query "
                        "string (currency=USD&avail=frozen-assets:50): the view it shows; "
                        "options given as well override it")
    report.add_argument("--currency", type=str.upper, help="reporting currency (default EUR)")
    when = report.add_mutually_exclusive_group()
    when.add_argument("--fx-date", type=_date, help="value every amount at this date "
                      "(default: the latest ECB date)")
    when.add_argument("--fx-row-date", action="store_true",
                      help="value each amount at its own row's date")
    report.add_argument("--status", type=_statuses,
                        help="count only flows with these statuses, e.g. pledged,committed")
    report.add_argument("--format", choices=FORMATS, default="json")
    report.add_argument("--out", type=Path, help="write here instead of stdout")
    compare = commands.add_parser(
        "diff", help="rows added, removed and changed from A to B (CSV paths or stored "
        "version ids such as 3 or v3)")
    compare.add_argument("a")
    compare.add_argument("b")
    bring = commands.add_parser(
        "import", help="turn someone else's table (CSV, .xlsx, .xls, .ods) into a funding "
        "CSV through a column mapping")
    bring.add_argument("file", type=Path)
    bring.add_argument("--map", type=Path, dest="mapping", metavar="MAPPING.json",
                       help="the mapping (from the Data page, or data/mappings/); default: "
                       "the table's own columns, or a shipped mapping that recognises it")
    bring.add_argument("--sheet", help="the workbook's sheet (default: the mapping's, else "
                       "the first visible)")
    bring.add_argument("--out", type=Path, help="write the funding CSV here instead of stdout")
    _site_parser(commands)
    rates = commands.add_parser("rates", help="keep exchange rates current")
    rates.add_argument("action", choices=["update", "show"],
                       help="update: download the ECB history, check it and keep it in "
                       "the data directory; show: the rates in force and their last day")
    rates.add_argument("--url", help="where to download the ECB history from "
                       "(default: LEDGER_RATES_URL, else the ECB's own address)")
    return parser


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: use YYYY-MM-DD") from None


def _site_parser(commands: argparse._SubParsersAction) -> None:
    site = commands.add_parser(
        "site", help="write the static site of the current published version (or a file)")
    site.add_argument("out", type=Path, metavar="OUT",
                      help="a new or empty folder, or one this command built before")
    site.add_argument("--ledger", metavar="FILE|VERSION",
                      help="a funding CSV or workbook, or a stored version (3 or v3); "
                      "default: the current published version, else the shipped ledger")
    site.add_argument("--scenario", metavar="QUERY", help="a dashboard link, or its query")
    site.add_argument("--lang", default="en,de,uk", type=_languages,
                      help="the pages' languages, the first at the folder's root "
                      "(default en,de,uk)")
    site.add_argument("--no-images", action="store_true",
                      help="leave out the charts' PNG and SVG (they need Chromium)")
    site.add_argument("--base-url", type=_base_url, metavar="URL",
                      help="the https address the folder is served from (…/read/): each "
                      "chart's embed snippet then names it in full")
    site.add_argument("--if-changed", action="store_true",
                      help="do nothing when OUT already shows this version, view and "
                      "languages (for a timer that keeps the site current)")
    site.set_defaults(currency=None, fx_row_date=False, fx_date=None, status=None)


def _base_url(text: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(text.strip())
    if (parts.scheme != "https" or not parts.netloc or parts.query or parts.fragment
            or any(ch in text for ch in "\"'<> \\")):
        raise argparse.ArgumentTypeError(f"{text!r}: give an https address, such as "
                                         "https://ledger.example.org/read/")
    return text.strip().rstrip("/") + "/"


def _languages(text: str) -> tuple[str, ...]:
    from ledger.api import LANGUAGES

    chosen = tuple(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))
    wrong = [p for p in chosen if p not in LANGUAGES]
    if wrong or not chosen:
        raise argparse.ArgumentTypeError(
            f"{', '.join(wrong) or 'none given'}: use {', '.join(LANGUAGES)}")
    return chosen


def _statuses(text: str) -> tuple[str, ...]:
    return tuple(s.strip().lower() for s in text.split(",") if s.strip())


def _fail(problems: Sequence[Problem]) -> int:
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1


def _validate(args: argparse.Namespace) -> int:
    from ledger.api import Scenario, default_rates, load_blocs, valuation

    ledger = _read(args.file, args.sheet)
    for warning in ledger.warnings:
        print(warning, file=sys.stderr)
    # every check `report` runs with the default scenario, rates included: the rates and
    # blocs it reads, and the valuation (what follows it is arithmetic that cannot fail)
    load_blocs()
    valuation(ledger, Scenario(), default_rates())
    counts = ledger.frame["kind"].value_counts()
    print(f"{args.file}: valid — {len(ledger.frame):,} rows "
          f"({counts.get('need', 0):,} needs, {counts.get('source', 0):,} sources, "
          f"{counts.get('flow', 0):,} flows)")
    return 0


def _report(args: argparse.Namespace) -> int:
    from ledger.api import reconcile, render, with_reported

    scenario = _scenario(args)
    ledger = _read(args.file, args.sheet)
    result = reconcile(ledger, scenario)
    output = render(result, args.format, reported=with_reported(ledger, result))
    if args.out:
        args.out.write_bytes(output)
    else:
        sys.stdout.buffer.write(output)
    return 0


def _scenario(args: argparse.Namespace) -> Scenario:
    """The link's scenario (if any), with the options given on the command line on top."""
    from dataclasses import replace
    from urllib.parse import parse_qsl, urlsplit

    from ledger.api import Scenario, from_query

    scenario = Scenario()
    if args.scenario:
        text = args.scenario.strip()
        query = urlsplit(text).query if "?" in text or "://" in text else text
        scenario, notes = from_query(dict(parse_qsl(query, keep_blank_values=True)))
        for note in notes:
            print(f"warning: --scenario: {note}", file=sys.stderr)
    changes: dict[str, object] = {}
    if args.currency:
        changes["currency"] = args.currency
    if args.fx_row_date:
        changes.update(fx_mode="row-date", fx_date=None)
    elif args.fx_date:
        changes.update(fx_mode="date", fx_date=args.fx_date)
    if args.status is not None:
        changes["statuses"] = args.status
    return replace(scenario, **changes)  # type: ignore[arg-type]


def _read(path: Path, sheet: str | None = None) -> Ledger:
    """A funding CSV, or a table that converts to one with no mapping work."""
    from ledger.api import read_any, read_bytes

    return read_any(read_bytes(path), sheet)


def _import(args: argparse.Namespace) -> int:
    from ledger.api import checked, neutralised_csv, read_bytes, read_mapping
    from ledger.api import parse_mapping as parse

    mapping = parse(read_mapping(args.mapping)) if args.mapping else None
    # every problem, in the table's terms, before anything is written
    converted, ledger = checked(read_bytes(args.file), args.sheet, mapping)
    for note in converted.notes:
        print(f"note: {note}", file=sys.stderr)
    written = neutralised_csv(converted.csv)  # formulas never leave as formulas
    if args.out:
        args.out.write_bytes(written)
    else:
        sys.stdout.buffer.write(written)
    print(f"{args.file}: sheet {converted.sheet or '(CSV)'}, mapping {converted.recognised}: "
          f"{len(ledger.frame):,} rows", file=sys.stderr)
    return 0


def _ledger_at(where: str) -> Ledger:
    """A file (CSV or workbook), or the id of a stored version (`3` or `v3`)."""
    from ledger.api import read_ledger

    path = Path(where)
    if path.exists() or not re.fullmatch(r"v?\d+", where):
        return _read(path)
    from ledger.api import Store

    return read_ledger(Store().content(int(where.lstrip("v"))))


def _published() -> tuple[bytes, str]:
    """The current published version's content and its name; the shipped ledger when
    nothing is published (or no store is set up here)."""
    from ledger.api import Store, shipped_ledger

    try:
        store = Store()
        version = store.current()
        if version is not None:
            return store.content(version.id), (f"published version {version.id} "
                                                f"({version.created_at[:10]})")
    except Exception as exc:  # no store here: the shipped ledger, and say so
        print(f"note: the store could not be read ({type(exc).__name__}); using the "
              "shipped ledger", file=sys.stderr)
    path = shipped_ledger()
    return path.read_bytes(), "the shipped ledger"


def _site_ledger(where: str) -> tuple[bytes, str]:
    """A file (a funding CSV, or a table that converts with no mapping work) or a
    stored version, as funding CSV bytes and a name."""
    from ledger.api import Store, checked, read_bytes

    path = Path(where)
    if path.exists() or not re.fullmatch(r"v?\d+", where):
        converted, _ = checked(read_bytes(path))
        return converted.csv, f"file {path.name}"
    number = int(where.lstrip("v"))
    return Store().content(number), f"stored version {number}"


def _site_shows(out: Path, data_version: str, scenario: Scenario,
                languages: tuple[str, ...], base_url: str) -> bool:
    """Whether the site in `out` was built from this content, view, languages and
    address."""
    import json

    from ledger.api import to_query

    try:
        index = json.loads((out / "data" / "index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (index.get("data_version"), index.get("link"), index.get("languages"),
            index.get("base_url", "")) == (data_version, to_query(scenario), list(languages),
                                           base_url)


def _site(args: argparse.Namespace) -> int:
    from ledger.api import build_site, read_ledger, reconcile, with_reported

    content, label = _site_ledger(args.ledger) if args.ledger else _published()
    ledger = read_ledger(content)
    scenario = _scenario(args)
    if args.if_changed and _site_shows(args.out, ledger.data_version, scenario, args.lang,
                                       args.base_url or ""):
        print(f"{args.out}: already shows {label}; nothing to do", file=sys.stderr)
        return 0
    result = reconcile(ledger, scenario)
    site = build_site(result, with_reported(ledger, result), content, args.out,
                      args.lang, version_label=label, images=not args.no_images,
                      base_url=args.base_url or "",
                      progress=lambda said: print(f"{said}…", file=sys.stderr))
    for note in site.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"{args.out}: {len(site.written):,} files, {site.size / 1e6:.1f} MB "
          f"({label}; {', '.join(args.lang)})", file=sys.stderr)
    return 0


def _diff(args: argparse.Namespace) -> int:
    from ledger.api import diff

    result = diff(_ledger_at(args.a), _ledger_at(args.b))
    print("\n".join(result.lines()))
    print(result.summary(), file=sys.stderr)
    return 0


def _rates(args: argparse.Namespace) -> int:
    from ledger.api import ecb_file, ecb_rates
    from ledger.api import update_rates as update

    if args.action == "update":
        _, said = update(args.url)
        print(said)
        return 0
    frame = ecb_rates()
    print(f"{ecb_file()}: {len(frame.columns)} currencies, "
          f"{frame.index.min().date()} to {frame.index.max().date()}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from ledger.api import use_jemalloc

    use_jemalloc()
    commands = {"validate": _validate, "report": _report, "diff": _diff, "rates": _rates,
                "import": _import, "site": _site}
    try:
        return commands[args.command](args)
    except LedgerError as exc:
        return _fail(exc.problems)
    except OSError as exc:
        return _fail([Problem(None, None, f"{exc.filename or ''}: {exc.strerror or exc}")])
    except Exception as exc:  # a bug of ours: say so plainly rather than print a traceback
        print(f"internal error ({type(exc).__name__}: {exc}); please report it", file=sys.stderr)
        return 2


def exit_now(code: int) -> None:
    """Leave once everything is written, without tearing down every object one by one
    (a tenth of a second after a 100,000-flow report): files are closed by then and
    nothing else is held open."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # the reader left: exit as usual
        sys.exit(code)
    os._exit(code)


if __name__ == "__main__":
    from ledger.api import keep_freed_memory

    keep_freed_memory()  # a process that ends with the command: memory kept for reuse
    exit_now(main())
