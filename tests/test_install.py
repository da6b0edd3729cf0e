"""An installed copy (`pip install .`), run from another folder, finds its shipped
data: the shipped ledger and the real bloc map."""

from __future__ import annotations

import hashlib
import json
import site
import subprocess
import sys

import pytest

from .conftest import ROOT, csv_bytes


@pytest.mark.slow
def test_an_installed_copy_run_elsewhere_reports_with_the_shipped_data(tmp_path):
    venv, wheels = tmp_path / "venv", tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(wheels), str(ROOT)],
                   check=True, cwd=tmp_path)
    [wheel] = wheels.glob("*.whl")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                    "--quiet", "--no-deps", "--no-index", str(wheel)], check=True, cwd=tmp_path)
    # the dependencies come from this environment (a path line only: its .pth files,
    # among them the editable install of this checkout, are not run)
    [target] = (venv / "lib").glob("python3*/site-packages")
    (target / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    def run(*args: str) -> str:
        done = subprocess.run([str(python), *args], capture_output=True, text=True,
                              cwd=elsewhere, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    where = run("-c", "import ledger, ledger.core.paths as p; print(ledger.__file__); "
                      "print(p.shipped_ledger()); print(p.bloc_map())").split()
    assert all(str(venv) in line for line in where), where
    report = json.loads(run("-m", "ledger", "report", where[1], "--format", "json"))
    shipped = (ROOT / "data" / "funding.csv").read_bytes()
    assert report["data_version"] == hashlib.sha256(shipped).hexdigest()
    german = elsewhere / "german.csv"
    german.write_bytes(csv_bytes(
        "n,need,N,military,10,,bn EUR,2025-01-02,,,,,,,",
        "s,source,S,,5,,bn EUR,2025-01-02,,,DE,,,,",
        "f,flow,F,military,5,,bn EUR,2025-01-02,s,n,,PL,,,",
    ))
    report = json.loads(run("-m", "ledger", "report", str(german), "--format", "json"))
    assert report["payer_supplier"][0]["donor_bloc"] == "Europe"  # DE and PL: the real map
    assert report["payer_supplier"][0]["industry_bloc"] == "Europe"
    assert not [f for f in report["findings"] if f["code"].startswith("unknown_")]
    # the catalogs and the site's package are installed too: a German site from elsewhere
    site_dir = elsewhere / "site"
    done = subprocess.run([str(python), "-m", "ledger", "site", str(site_dir), "--ledger",
                           where[1], "--lang", "de", "--no-images"], capture_output=True,
                          text=True, cwd=elsewhere, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Überblick" in (site_dir / "index.html").read_text(encoding="utf-8")
