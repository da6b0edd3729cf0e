"""The deployment files: systemd units that parse and point at the right commands,
and the rates update against a local HTTP server (a good file, a truncated one, a
server error, a file that would lose a currency): the rates in force stay unless
the new file is whole."""

from __future__ import annotations

import configparser
import http.server
import io
import threading
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from ledger.core.problems import LedgerError

from .conftest import ROOT

DEPLOY = ROOT / "deploy"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((DEPLOY / name).read_text())
    return parser


def test_the_systemd_units_run_the_app_on_localhost_and_the_rates_update_daily():
    app = unit("ledger@.service")
    assert "--server.address 127.0.0.1" in app["Service"]["ExecStart"]
    assert app["Service"]["EnvironmentFile"] == "/etc/ledger/ledger.env"
    rates = unit("ledger-rates.service")
    assert rates["Service"]["ExecStart"].endswith("-m ledger rates update")
    timer = unit("ledger-rates.timer")
    assert timer["Timer"]["OnCalendar"].startswith("*-*-*") and timer["Timer"]["Persistent"]
    env = (DEPLOY / "ledger.env.example").read_text()
    assert "LEDGER_DATABASE_URL=" in env and "LEDGER_TRUSTED_PROXY=1" in env


# rates update ---------------------------------------------------------------------

def shipped_csv() -> str:
    from ledger.money.fx import ecb_file

    with zipfile.ZipFile(ecb_file()) as archive:
        return archive.read(archive.namelist()[0]).decode("utf-8")


def zipped(text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("eurofxref-hist.csv", text)
    return out.getvalue()


def with_a_new_day(text: str, day: str = "2026-11-25") -> str:
    header, first, rest = text.split("\n", 2)
    return "\n".join([header, day + first[first.index(","):], first, rest])


class Server:
    """Serves one body (or an error) on 127.0.0.1, in a thread."""

    def __init__(self, body: bytes = b"", status: int = 200, cut: int | None = None):
        served = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status == 200:
                    self.wfile.write(body[:cut] if cut else body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/eurofxref-hist.zip"
        served.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fresh_rates(tmp_path, monkeypatch):
    """A data directory of its own, and the in-process rate caches emptied."""
    from ledger.money import fx

    monkeypatch.setenv("LEDGER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    fx.ecb_rates.cache_clear()
    yield tmp_path / "data"
    fx.ecb_rates.cache_clear()


def test_a_good_history_is_kept_and_takes_precedence(fresh_rates):
    from ledger.money.fx import ecb_file, ecb_rates
    from ledger.money.rates_update import update

    before = ecb_rates().index.max()
    with Server(zipped(with_a_new_day(shipped_csv()))) as server:
        kept, said = update(server.url)
    ecb_rates.cache_clear()
    assert ecb_file() == kept == fresh_rates / "ecb-rates.zip"
    assert ecb_rates().index.max() == pd.Timestamp("2026-11-25") > before
    assert "2026-11-25" in said


@pytest.mark.parametrize("server, why", [
    (lambda body: Server(body, cut=len(body) // 2), "stopped after"),
    (lambda body: Server(body, status=500), "download failed"),
    (lambda body: Server(b"<html>maintenance</html>"), "not a complete zip"),
])
def test_a_broken_download_leaves_the_rates_in_force(fresh_rates, server, why):
    from ledger.money.fx import ecb_file, ecb_rates
    from ledger.money.rates_update import update

    in_force, latest = ecb_file(), ecb_rates().index.max()
    with server(zipped(with_a_new_day(shipped_csv()))) as serving, \
            pytest.raises(LedgerError) as caught:
        update(serving.url)
    assert why in caught.value.problems[0].message
    assert "stay in force" in caught.value.problems[0].message
    ecb_rates.cache_clear()
    assert ecb_file() == in_force and ecb_rates().index.max() == latest
    assert not (fresh_rates / "ecb-rates.zip").exists()


def test_a_history_that_loses_a_currency_or_goes_back_in_time_is_refused(fresh_rates):
    from ledger.money.rates_update import update

    text = shipped_csv()
    header, rest = text.split("\n", 1)
    columns = header.split(",")
    drop = columns.index("USD")
    without_usd = "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != drop)
                            for line in text.splitlines())
    with Server(zipped(without_usd)) as server, pytest.raises(LedgerError, match="USD"):
        update(server.url)
    older = "\n".join([header, *rest.splitlines()[5:]])  # the latest five days gone
    with Server(zipped(older)) as server, pytest.raises(LedgerError, match="older"):
        update(server.url)
    assert not Path(fresh_rates / "ecb-rates.zip").exists()


def test_the_command_says_what_it_kept_or_why_not(fresh_rates, capsys):
    from ledger.__main__ import main

    with Server(status=503) as server:
        assert main(["rates", "update", "--url", server.url]) == 1
    assert "not taken" in capsys.readouterr().err
    with Server(zipped(with_a_new_day(shipped_csv()))) as server:
        assert main(["rates", "update", "--url", server.url]) == 0
    assert "rates up to 2026-11-25" in capsys.readouterr().out


def test_nginx_accepts_the_site(tmp_path):
    """`nginx -t` on the site as shipped, with a throwaway certificate in place of the
    placeholders (CI installs nginx; elsewhere this is skipped without it)."""
    import os
    import shutil
    import subprocess

    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                      else None)
    if nginx is None:
        if os.environ.get("REQUIRE_BROWSER"):  # CI: .ci/run installs it
            raise RuntimeError("nginx is missing: apt-get install nginx-light")
        pytest.skip("nginx is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=ledger.example.org", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    site = (DEPLOY / "nginx-ledger.conf").read_text()
    site = site.replace("/etc/ssl/certs/ledger.example.org.pem", str(cert))
    site = site.replace("/etc/ssl/private/ledger.example.org.key", str(key))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {tmp_path};\n"
        f"  include {tmp_path}/site.conf;\n}}\n")
    done = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr


def one_day_of_ones(text: str, day: str = "2026-11-25") -> str:
    """A history of one day, every rate 1.0: what a hostile or broken mirror serves."""
    header = text.split("\n", 1)[0]
    names = header.split(",")
    return header + "\n" + ",".join([day, *("1.0" if n.strip() else "" for n in names[1:])])


def with_rates_moved(text: str, factor: float) -> str:
    """The same history with the latest day's rates moved by `factor`."""
    header, first, rest = text.split("\n", 2)
    cells = first.split(",")
    moved = [cells[0], *(f"{float(c) * factor:.4f}" if c not in ("", "N/A") else c
                         for c in cells[1:])]
    return "\n".join([header, ",".join(moved), rest])


@pytest.mark.parametrize(("body", "why"), [
    (lambda text: one_day_of_ones(text), "history would be lost"),
    (lambda text: with_a_new_day(with_rates_moved(text, 1.05)), "differ from those in force"),
], ids=["one-day-of-ones", "rates-moved-5-percent"])
def test_an_implausible_history_is_refused_and_the_rates_in_force_stay(fresh_rates, body, why):
    from ledger.money.fx import ecb_file, ecb_rates
    from ledger.money.rates_update import update

    in_force = ecb_file()
    with Server(zipped(body(shipped_csv()))) as server, pytest.raises(LedgerError) as caught:
        update(server.url)
    assert why in caught.value.problems[0].message
    ecb_rates.cache_clear()
    assert ecb_file() == in_force and not (fresh_rates / "ecb-rates.zip").exists()


def test_a_zip_that_would_unpack_past_the_cap_is_refused_before_unpacking(fresh_rates):
    from ledger.money.rates_update import MAX_EXPANDED_BYTES, update

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("eurofxref-hist.csv", "w", force_zip64=True) as member:
        block = b"0" * (1 << 20)
        for _ in range(MAX_EXPANDED_BYTES // len(block) + 2):
            member.write(block)
    bomb = out.getvalue()
    assert len(bomb) < 1_000_000  # a small download that unpacks past 100 MB
    with Server(bomb) as server, pytest.raises(LedgerError) as caught:
        update(server.url)
    assert "would unpack to" in caught.value.problems[0].message


def test_a_server_that_sends_slowly_is_given_up_at_the_deadline():
    import time

    from ledger.money.rates_update import _download

    class Slow(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            for _ in range(50):  # a byte every 0.1 s: it would take days to finish
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        # without the deadline it would end after 5 s with "stopped after 50 bytes"
        with pytest.raises(LedgerError) as caught:
            _download(f"http://127.0.0.1:{httpd.server_address[1]}/x.zip", deadline=0.5)
        assert "took longer than" in caught.value.problems[0].message
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_proxy_logs_requests_without_their_query_strings():
    # a draft link's token is in its query string (?draft=...): the access log of the
    # site uses a format that writes the path ($uri) and never $request or $args
    site = (DEPLOY / "nginx-ledger.conf").read_text()
    log_format = site.split("log_format ledger_no_query", 1)[1].split(";", 1)[0]
    assert "$uri" in log_format
    assert "$request " not in log_format + " " and "$args" not in log_format
    assert "$request_uri" not in log_format
    assert "access_log /var/log/nginx/ledger-access.log ledger_no_query;" in site
