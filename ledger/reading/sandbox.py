"""Reading an untrusted upload in a worker process with a time and a memory
limit, so that one hostile file cannot stall or exhaust the server that every
other user shares. The worker is forked from a small preloaded server process
(multiprocessing's forkserver), so a check starts in milliseconds."""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import os
import pickle
import sys
import tempfile
import threading
import time
import types
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ledger.core.problems import LedgerError, Problem, said
from ledger.reading.schema import Ledger, read_ledger
from ledger.reading.textfile import MAX_BYTES

DEFAULT_SECONDS = 30.0
DEFAULT_MEMORY_MB = 4096
DEFAULT_WORKERS = 2  # LEDGER_PARSE_WORKERS: at most this many checks at once, so the
# workers together hold at most LEDGER_PARSE_WORKERS × LEDGER_PARSE_MB
QUEUE_SECONDS = 20.0  # how long an upload waits for a free worker before "busy"
POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Limits:
    seconds: float = DEFAULT_SECONDS
    memory_bytes: int = DEFAULT_MEMORY_MB * 1_000_000
    # the most a table may come to as a funding CSV: a few kilobytes of workbook can
    # unpack to gigabytes, and the CSV is what comes back to the server
    csv_bytes: int = MAX_BYTES

    @classmethod
    def from_environment(cls) -> Limits:
        """LEDGER_PARSE_SECONDS and LEDGER_PARSE_MB, else the defaults."""
        return cls(_number("LEDGER_PARSE_SECONDS", DEFAULT_SECONDS),
                   int(_number("LEDGER_PARSE_MB", DEFAULT_MEMORY_MB) * 1_000_000))


def _number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, "") or default)
    except ValueError:
        return default
    return value if value > 0 else default


_context: Any = None
_slots: threading.BoundedSemaphore | None = None
_slots_lock = threading.Lock()


def workers() -> int:
    """How many uploads are checked at once: LEDGER_PARSE_WORKERS, default 2."""
    return max(1, int(_number("LEDGER_PARSE_WORKERS", DEFAULT_WORKERS)))


def _worker_slots() -> threading.BoundedSemaphore:
    global _slots
    with _slots_lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(workers())
        return _slots


@contextlib.contextmanager
def _a_free_worker() -> Iterator[None]:
    """Wait up to QUEUE_SECONDS for one of the workers; else one clear problem."""
    slots = _worker_slots()
    if not slots.acquire(timeout=QUEUE_SECONDS):
        raise LedgerError([Problem(None, None, said(
            "the server is busy checking other uploads: nothing was read; try again in a "
            "minute"))])
    try:
        yield
    finally:
        slots.release()


def _pool_context() -> Any:
    global _context
    if _context is None:
        _context = mp.get_context("forkserver")
        _context.set_forkserver_preload(["ledger.reading.schema", "ledger.reading.sandbox",
                                         "ledger.reading.intake"])
    return _context


def warm() -> None:
    """Start the process workers are forked from, which loads the reader in the
    background: a page that takes uploads calls this when it is shown,
    so the first upload does not wait for it."""
    from multiprocessing import forkserver

    _pool_context()
    with _plain_main():
        forkserver.ensure_running()


def _work(folder: str, conn: Connection) -> None:
    """In the worker: do the task on the upload in the folder, leave the result
    there (a file moves hundreds of megabytes far faster than a pipe). Tasks: read
    a funding CSV; peek at a table for the mapping step; convert a table."""
    try:
        data = Path(folder, "upload").read_bytes()
        task_file = Path(folder, "task.json")
        result: Any
        if task_file.exists():
            from ledger.reading import intake
            from ledger.reading.mapping import parse

            task = json.loads(task_file.read_text(encoding="utf-8"))
            mapping = parse(task["mapping"]) if task.get("mapping") else None
            if task["task"] == "peek":
                result = intake.peek(data, task.get("sheet"), task.get("most_bytes"))
            elif task["task"] == "merge":
                from ledger.reading.additions import merged

                result = merged(Path(folder, "current").read_bytes(), data)
            else:
                result = intake.checked(data, task.get("sheet"), mapping)[0]
                _within(len(result.csv), int(task.get("most_bytes", MAX_BYTES)))
        else:
            _write_ledger(folder, read_ledger(data))
            conn.send(("ok", None))
            return
        with open(Path(folder, "ledger.pickle"), "wb") as out:
            pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
        conn.send(("ok", None))
    except LedgerError as exc:
        conn.send(("problems", exc.problems))
    except MemoryError:
        conn.send(("memory", None))
    finally:
        conn.close()


def _within(size: int, most: int) -> None:
    """In the worker: refuse a conversion larger than an upload may be, before it
    reaches the server."""
    if size > most:
        raise LedgerError([Problem(None, None, said(
            "this table comes to {size} MB as a funding CSV, more than the {limit} MB an "
            "upload may be; split it, or leave out columns and rows you do not need",
            size=-(-size // 1_000_000), limit=most // 1_000_000))])


def read_untrusted(data: bytes, limits: Limits | None = None) -> Ledger:
    """read_ledger in a worker; raise LedgerError with one clear problem when the
    file takes longer or needs more memory than the limits allow."""
    ledger: Ledger = _untrusted(data, None, limits)
    return ledger


def peek_untrusted(data: bytes, sheet: str | None = None, limits: Limits | None = None,
                   convert: bool = False) -> Any:
    """ledger.reading.intake.peek in a worker: the sheets, header and first rows of a
    table; with `convert`, a table a shipped mapping recognises converted and checked
    too, within the same limit as convert_untrusted's."""
    limits = limits or Limits.from_environment()
    task: dict[str, Any] = {"task": "peek", "sheet": sheet}
    if convert:
        task["most_bytes"] = limits.csv_bytes
    return _untrusted(data, task, limits)


def convert_untrusted(data: bytes, sheet: str | None = None, mapping_json: str | None = None,
                      limits: Limits | None = None) -> Any:
    """ledger.reading.intake.convert in a worker, the result validated: a Converted whose CSV
    reads, or LedgerError naming their rows and columns."""
    limits = limits or Limits.from_environment()
    return _untrusted(data, {"task": "convert", "sheet": sheet, "mapping": mapping_json,
                             "most_bytes": limits.csv_bytes}, limits)


def merge_untrusted(current: bytes, rows: bytes, limits: Limits | None = None) -> bytes:
    """ledger.reading.additions.merged in a worker: the ledger in use with the rows
    added or updated, as a funding CSV (checked next like any upload)."""
    result: bytes = _untrusted(rows, {"task": "merge"}, limits, current)
    return result


def _untrusted(data: bytes, task: dict[str, Any] | None, limits: Limits | None,
               current: bytes | None = None) -> Any:
    limits = limits or Limits.from_environment()
    context = _pool_context()
    with _a_free_worker(), tempfile.TemporaryDirectory(prefix="ledger-check-",
                                                         dir=_scratch()) as folder:
        Path(folder, "upload").write_bytes(data)
        if current is not None:
            Path(folder, "current").write_bytes(current)
        if task is not None:
            Path(folder, "task.json").write_text(json.dumps(task), encoding="utf-8")
        kind, payload = _run(context, folder, limits)
        if kind == "ok" and task is None:
            return _read_ledger(folder)
        if kind == "ok":
            with open(Path(folder, "ledger.pickle"), "rb") as result:
                return pickle.load(result)
    if kind == "problems":
        raise LedgerError(payload)
    raise _refused(said("checking it ran out of memory"))


_FRAMES = ("frame", "text")


def _write_ledger(folder: str, ledger: Ledger) -> None:
    """In the worker: a ledger's two frames as Arrow files, the rest as a small pickle:
    Arrow files are written and mapped back far faster than a pickle of the whole."""
    import pyarrow as pa
    import pyarrow.ipc as ipc

    for name in _FRAMES:
        table = pa.Table.from_pandas(getattr(ledger, name))
        with pa.OSFile(str(Path(folder, f"{name}.arrow")), "wb") as sink, \
                ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
    with open(Path(folder, "ledger.pickle"), "wb") as out:
        pickle.dump((ledger.data_version, ledger.warnings, ledger.extra_columns), out)


def _read_ledger(folder: str) -> Ledger:
    """The ledger `_write_ledger` left: its frames mapped from the files, not copied,
    with the dtypes and index they had. The mapping outlives the folder and the file
    (closed here: a session's upload holds no file descriptor)."""
    import pyarrow as pa
    import pyarrow.ipc as ipc

    frames = {}
    for name in _FRAMES:
        with pa.memory_map(str(Path(folder, f"{name}.arrow"))) as source:
            frames[name] = ipc.open_file(source).read_all().to_pandas()
    with open(Path(folder, "ledger.pickle"), "rb") as rest:
        data_version, warnings, extra_columns = pickle.load(rest)
    return Ledger(frames["frame"], frames["text"], data_version, warnings, extra_columns)


def _scratch() -> str | None:
    """Memory-backed scratch space when the system has it."""
    return "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def _run(context: Any, folder: str, limits: Limits) -> tuple[str, Any]:
    """Start the worker and watch it: kill it past the time or memory limit."""
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_work, args=(folder, send), daemon=True)
    with _plain_main():
        worker.start()
    send.close()
    started = time.monotonic()
    try:
        while not receive.poll(POLL_SECONDS):
            if _rss(worker.pid) > limits.memory_bytes:
                raise _refused(said("checking it needed more than {limit} MB of memory",
                                    limit=limits.memory_bytes // 1_000_000))
            if time.monotonic() - started > limits.seconds:
                raise _refused(said("checking it took longer than {limit} s",
                                    limit=round(limits.seconds)))
            if not worker.is_alive() and not receive.poll(0):
                raise _refused(said("the check stopped unexpectedly (the file may need "
                                    "more memory than the server allows)"))
        try:
            kind, payload = receive.recv()
        except EOFError:
            raise _refused(said("the check stopped unexpectedly")) from None
        worker.join(timeout=limits.seconds)  # the pickle is complete once it has exited
        return kind, payload
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join(timeout=5)
        receive.close()


_main_lock = threading.Lock()


@contextlib.contextmanager
def _plain_main() -> Iterator[None]:
    """multiprocessing re-imports the parent's `__main__` in every worker; under
    Streamlit that is the dashboard script itself, which would run once per upload.
    Hand the worker an empty `__main__` instead while it starts."""
    with _main_lock:
        saved = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if saved is not None:
                sys.modules["__main__"] = saved


def _refused(why: str) -> LedgerError:
    return LedgerError([Problem(None, None, said(
        "This file is refused: {why}. Split it into smaller files, or remove columns the "
        "ledger does not use, and try again.", why=why))])


def _rss(pid: int | None) -> int:
    """Resident memory of a process in bytes (0 when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
