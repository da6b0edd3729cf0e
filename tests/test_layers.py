from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_the_domain_package_loads_without_streamlit():
    code = ("import pkgutil, importlib, sys, ledger\n"
            "for m in pkgutil.iter_modules(ledger.__path__):\n"
            "    importlib.import_module('ledger.' + m.name)\n"
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


def test_pages_do_no_frame_work_beyond_display():
    # tables are built in ledger.views and friends; a page only lays them out
    for path in (ROOT / "ui" / "pages").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pandas_work in (".groupby(", ".merge(", "pd.concat(", ".pivot", ".valued"):
            assert pandas_work not in text, (path.name, pandas_work)
