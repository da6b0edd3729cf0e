"""Server time to upload and check a ledger on the Data page, measured with AppTest.

    .venv/bin/python -m bench.app_upload LEDGER.csv
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def main(path: str) -> None:
    data = Path(path).read_bytes()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("ui/pages/data.py")
    at.run()
    uploader = at.file_uploader(key="upload").set_value(("ledger.csv", data, "text/csv"))
    start = time.perf_counter()
    uploader.run()
    seconds = time.perf_counter() - start
    assert not at.exception, at.exception
    print(f"{path}: {len(data) / 1e6:.0f} MB uploaded, validated and compared in "
          f"{seconds:.2f} s (server side); {[i.value for i in at.info]}")


if __name__ == "__main__":
    main(sys.argv[1])
