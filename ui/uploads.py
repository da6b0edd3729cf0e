"""Files posted to Streamlit's upload endpoint, and memory sessions leave behind.

Streamlit keeps every posted file in memory until its session ends, whether or
not a widget asked for it; what the app reads is copied into the session."""

from __future__ import annotations

import logging
from typing import Any

import streamlit as st

from ui.session import Keys

log = logging.getLogger("ledger.dashboard")

UPLOAD_GRACE_SECONDS = 30.0  # an upload arriving while another rerun runs is not cut short


def release_unused_uploads(keep_keys: tuple[str, ...] = (Keys.UPLOAD,)) -> int:
    """Drop every file this session posted to Streamlit's upload endpoint that no
    uploader of ours holds now. Streamlit keeps each posted file in memory until the
    session ends, whether or not any widget asked for it; what we read is copied into
    the session already. Returns how many files were released."""
    import time

    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    manager = getattr(ctx, "uploaded_file_mgr", None)
    storage = getattr(manager, "file_storage", None)
    if ctx is None or manager is None or not isinstance(storage, dict):
        return 0
    keep = {getattr(st.session_state.get(key), "file_id", None) for key in keep_keys}
    seen: dict[str, float] = st.session_state.setdefault(Keys.UPLOAD_SEEN, {})
    now = time.monotonic()
    released = 0
    for file_id in list(storage.get(ctx.session_id, {})):
        first_seen = seen.setdefault(file_id, now)
        if file_id not in keep and now - first_seen > UPLOAD_GRACE_SECONDS:
            manager.remove_file(ctx.session_id, file_id)
            seen.pop(file_id, None)
            released += 1
    return released


SWEEP_SECONDS = 10.0


@st.cache_resource(show_spinner=False)
def upload_sweeper() -> object:
    """Once per server: a thread that, every SWEEP_SECONDS, keeps only the newest file
    each session posted (and any younger than UPLOAD_GRACE_SECONDS). A client that
    posts files without ever rerunning the app cannot pile them up in memory."""
    import threading
    import time

    try:
        from streamlit.runtime import Runtime

        runtime = Runtime.instance()
        manager = runtime.uploaded_file_mgr
    except Exception:  # no server runtime (AppTest, bare mode): nothing to sweep
        return None
    bound_uploads(manager, *upload_budgets())
    seen: dict[str, float] = {}

    def sweep_forever() -> None:
        while True:
            time.sleep(SWEEP_SECONDS)
            try:
                sweep_uploads(manager, seen, time.monotonic())
                expire_departed_sessions(runtime)
                return_free_memory()
            except Exception:  # never let the sweeper die; say why in the log
                log.exception("sweeping uploaded files failed")

    thread = threading.Thread(target=sweep_forever, name="upload-sweeper", daemon=True)
    thread.start()
    return thread


UPLOADS_MB_TOTAL = 2000  # LEDGER_UPLOADS_MB: what every session's posted files hold together


def upload_budgets() -> tuple[int, int]:
    """(bytes one session's posted files may hold — the file in use and the one
    replacing it, two uploads at the limit —, bytes every session's together:
    LEDGER_UPLOADS_MB, default 2000)."""
    from ledger.api import MAX_BYTES, megabytes_setting

    return 2 * MAX_BYTES, megabytes_setting("LEDGER_UPLOADS_MB", UPLOADS_MB_TOTAL)


def bound_uploads(manager: Any, per_session: int, total: int) -> bool:
    """Refuse a file posted to Streamlit's upload endpoint (HTTP 413, before it is
    kept) when its session's files, or every session's, would exceed their budget:
    twenty 100 MB files posted straight to the endpoint were all kept for half a
    minute (+1.9 GB) until the sweeper let them go. False when this Streamlit keeps
    uploads some other way (nothing is done)."""
    storage, lock = getattr(manager, "file_storage", None), getattr(manager, "_lock", None)
    original = getattr(manager, "add_file", None)
    if not isinstance(storage, dict) or lock is None or original is None:
        return False

    def add_file(session_id: str, file: Any) -> None:
        from starlette.exceptions import HTTPException

        with lock:  # released before Streamlit's own add_file takes it again
            own = sum(len(f.data) for i, f in storage.get(session_id, {}).items()
                      if i != file.file_id)
            everyone = sum(len(f.data) for files in storage.values() for f in files.values())
        size = len(file.data)
        if own + size > per_session or everyone + size > total:
            log.warning("upload refused: the session would hold %d bytes, all sessions %d",
                        own + size, everyone + size)
            raise HTTPException(status_code=413, detail="Too much uploaded at once: wait "
                                "for the files sent to be read, then try again")
        original(session_id, file)

    manager.add_file = add_file
    return True


def expire_departed_sessions(runtime: Any) -> bool:
    """Let go of sessions whose browser left more than Streamlit's
    `server.disconnectedSessionTTL` ago. Streamlit keeps them in a TTL cache that
    forgets an expired entry only when something else touches it — another session
    connecting or leaving — so on a quiet server a departed session's memory stayed
    (1.83 GB for 300 s in the security review). The cache is not thread-safe: the
    expiry runs on Streamlit's own event loop. False when this Streamlit keeps its
    sessions some other way (nothing is done)."""
    storage = getattr(getattr(runtime, "_session_mgr", None), "_session_storage", None)
    cache = getattr(storage, "_cache", None)
    expire = getattr(cache, "expire", None)
    loop = getattr(getattr(runtime, "_async_objs", None), "eventloop", None)
    if expire is None or loop is None:
        return False
    loop.call_soon_threadsafe(expire)
    return True


def sweep_uploads(manager: Any, seen: dict[str, float], now: float) -> int:
    storage = getattr(manager, "file_storage", None)
    if not isinstance(storage, dict):
        return 0
    released = 0
    present: set[str] = set()
    for session_id, files in list(storage.items()):
        ids = list(files)
        present.update(ids)
        for file_id in ids:
            seen.setdefault(file_id, now)
        for file_id in ids[:-1]:  # the newest may be what the uploader shows
            if now - seen[file_id] > UPLOAD_GRACE_SECONDS:
                manager.remove_file(session_id, file_id)
                released += 1
    for file_id in set(seen) - present:  # sessions that ended took their files along
        del seen[file_id]
    return released


def return_free_memory() -> None:
    """Hand memory freed by sessions that ended back to the system: Arrow's pool and
    the C allocator both keep freed pages for reuse, so the server's resident size
    would otherwise stay at its peak after a large upload's session is gone."""
    import contextlib
    import ctypes
    import gc

    import pyarrow as pa

    gc.collect()
    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)
