"""Who may publish: the editor secret, compared in constant time, with a delay
that grows after each failed attempt from the same client."""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Callable

MAX_DELAY_SECONDS = 30.0


class EditorGate:
    """Checks the editor secret. With no secret configured, publishing is off."""

    def __init__(self, secret: str | None, *, base_delay: float = 0.5,
                 sleep: Callable[[float], None] = time.sleep):
        self._secret = (secret or "").encode("utf-8")
        self._base_delay = base_delay
        self._sleep = sleep
        self._failures: dict[str, int] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return bool(self._secret)

    def delay_for(self, client: str) -> float:
        """Seconds the next attempt from `client` waits: 0, then doubling per failure."""
        failures = self._failures.get(client, 0)
        if failures == 0:
            return 0.0
        return min(self._base_delay * 2 ** (failures - 1), MAX_DELAY_SECONDS)

    def check(self, given: str, client: str) -> bool:
        if not self.enabled:
            return False
        self._sleep(self.delay_for(client))
        ok = hmac.compare_digest(given.encode("utf-8"), self._secret)
        with self._lock:
            if ok:
                self._failures.pop(client, None)
            else:
                self._failures[client] = self._failures.get(client, 0) + 1
        return ok
