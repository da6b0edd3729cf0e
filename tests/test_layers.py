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
