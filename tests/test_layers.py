from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_the_domain_package_loads_without_streamlit():
    code = ("import pkgutil, importlib, sys, ledger\n"
            "for m in pkgutil.walk_packages(ledger.__path__, 'ledger.'):\n"
            "    importlib.import_module(m.name)\n"
            "print('streamlit' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def imports_of(path) -> set[str]:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_imports_run_from_pages_to_the_domain_never_back():
    rules = {  # folder: top-level packages it must not import
        "ledger": {"streamlit", "ui", "app", "tests", "bench", "tools"},
        "ui": {"tests", "bench", "tools", "app"},
        "tools": {"tests"},
        "bench": {"app"},  # it drives the app through AppTest, so it may name ui
    }
    for folder, banned in rules.items():
        for path in (ROOT / folder).rglob("*.py"):
            for module in imports_of(path):
                assert module.split(".")[0] not in banned, (str(path), module)


# The rooms of the domain, each above the ones it may import (docs/ARCHITECTURE.md).
ROOMS = {
    "core": set(),
    "runtime": {"core"},
    "money": {"core", "runtime"},
    "reading": {"core", "runtime", "money"},
    "storage": {"core", "runtime", "money", "reading"},
    "rules": {"core", "runtime", "money", "reading"},
    "present": {"core", "runtime", "money", "reading", "rules"},
}


def test_each_room_of_the_domain_imports_only_the_rooms_below_it():
    seen = set()
    for room, below in ROOMS.items():
        for path in (ROOT / "ledger" / room).rglob("*.py"):
            for module in imports_of(path):
                parts = module.split(".")
                if parts[0] != "ledger" or module == "ledger":  # the root holds the version only
                    continue
                assert parts[1] in below | {room}, (str(path), module)
            seen.add(path)
    loose = {p.name for p in (ROOT / "ledger").glob("*.py")}
    assert loose == {"__init__.py", "__main__.py", "api.py"}, loose
    assert seen == set((ROOT / "ledger").rglob("*.py")) - set((ROOT / "ledger").glob("*.py"))


def test_the_layering_test_would_catch_a_module_that_imports_upwards(tmp_path):
    # a check that can fail: `rules` importing `present` is named
    bad = tmp_path / "bad.py"
    bad.write_text("from ledger.present.charts import coverage_gap\n", encoding="utf-8")
    assert {m.split(".")[1] for m in imports_of(bad)} - ROOMS["rules"] == {"present"}


def test_pages_do_no_frame_work_beyond_display():
    # tables are built in ledger.present.views and friends; a page only lays them out
    for path in (ROOT / "ui" / "pages").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pandas_work in (".groupby(", ".merge(", "pd.concat(", ".pivot", ".valued"):
            assert pandas_work not in text, (path.name, pandas_work)


def test_the_dashboard_and_the_command_line_reach_the_domain_only_through_its_entry_point():
    users = [ROOT / "app.py", ROOT / "ledger" / "__main__.py", *(ROOT / "ui").rglob("*.py")]
    for path in users:
        for module in imports_of(path):
            if module.split(".")[0] == "ledger":
                assert module == "ledger.api", (str(path), module)


def test_every_name_of_the_entry_point_loads_and_type_checkers_see_the_same_names():
    import ast

    import ledger.api as api

    for name in api.__all__:
        assert getattr(api, name) is not None, name
    tree = ast.parse((ROOT / "ledger" / "api.py").read_text(encoding="utf-8"))
    checked = {alias.asname or alias.name
               for node in ast.walk(tree) if isinstance(node, ast.If)
               for inner in ast.walk(node) if isinstance(inner, ast.ImportFrom)
               for alias in inner.names}
    assert checked == set(api.__all__)


def test_a_command_that_reads_loads_neither_the_store_nor_the_charts():
    code = ("import sys\nfrom ledger.api import read_ledger, reconcile\n"
            "print(sorted(m for m in ('ledger.storage.store', 'ledger.present.charts', 'plotly')"
            " if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_no_function_of_the_product_runs_over_sixty_lines():
    import ast

    long = []
    for path in [ROOT / "app.py", *(ROOT / "ledger").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 60:
                    long.append(f"{path.relative_to(ROOT)}:{node.name} ({length} lines)")
    assert long == []


def test_the_entry_point_exports_only_what_the_dashboard_or_the_command_line_uses():
    import ast

    import ledger.api as api

    used = set()
    for path in [ROOT / "app.py", ROOT / "ledger" / "__main__.py", *(ROOT / "ui").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "ledger.api":
                used.update(alias.name for alias in node.names)
    assert set(api.__all__) - used == set()
