"""Who may publish: the editor secret, compared in constant time, with a delay
that grows after each failed attempt from the same client and decays with time.

Attempts from one client are taken one at a time (a per-client lock held while
it waits), so parallel sessions cannot guess in parallel. Each client has its own
budget of attempts per minute, so one address that keeps guessing locks out only
itself; a ceiling for all clients together, far above one client's budget, holds
when the addresses vary.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import deque
from collections.abc import Callable
from enum import StrEnum

MAX_DELAY_SECONDS = 30.0
DECAY_SECONDS = 120.0  # one failure forgotten per two quiet minutes
ATTEMPTS_PER_MINUTE = 200  # from every client together: many addresses guessing at once
ATTEMPTS_PER_MINUTE_PER_CLIENT = 10  # from one address


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    BUSY = "busy"  # too many attempts in the last minute: not even compared
    OFF = "off"  # no secret configured: publishing is off


class EditorGate:
    """Checks the editor secret. With no secret configured, publishing is off."""

    def __init__(self, secret: str | None, *, base_delay: float = 0.5,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic,
                 per_minute: int = ATTEMPTS_PER_MINUTE,
                 per_client: int = ATTEMPTS_PER_MINUTE_PER_CLIENT):
        self._secret = (secret or "").encode("utf-8")
        self._base_delay = base_delay
        self._sleep = sleep
        self._clock = clock
        self._per_minute = per_minute
        self._per_client = per_client
        self._recent_by_client: dict[str, deque[float]] = {}
        self._failures: dict[str, tuple[int, float]] = {}  # client -> (count, last failure)
        self._client_locks: dict[str, threading.Lock] = {}
        self._recent: deque[float] = deque()
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return bool(self._secret)

    def failures(self, client: str) -> int:
        """Failed attempts that still count: one is forgotten per DECAY_SECONDS of quiet."""
        count, last = self._failures.get(client, (0, 0.0))
        forgotten = int((self._clock() - last) // DECAY_SECONDS) if count else 0
        return max(0, count - forgotten)

    def delay_for(self, client: str) -> float:
        """Seconds the next attempt from `client` waits: 0, then doubling per failure."""
        failures = self.failures(client)
        if failures == 0:
            return 0.0
        return min(self._base_delay * 2 ** (failures - 1), MAX_DELAY_SECONDS)

    def check(self, given: str, client: str) -> bool:
        return self.attempt(given, client) is Outcome.ACCEPTED

    def attempt(self, given: str, client: str) -> Outcome:
        """Wait out the client's delay (even with the right secret), then compare."""
        if not self.enabled:
            return Outcome.OFF
        with self._lock:
            if not self._admit(client):
                return Outcome.BUSY
            client_lock = self._client_locks.setdefault(client, threading.Lock())
        with client_lock:
            self._sleep(self.delay_for(client))
            ok = hmac.compare_digest(given.encode("utf-8"), self._secret)
            with self._lock:
                if ok:
                    self._failures.pop(client, None)
                else:
                    self._failures[client] = (self.failures(client) + 1, self._clock())
        return Outcome.ACCEPTED if ok else Outcome.WRONG

    def _admit(self, client: str) -> bool:
        """Count this attempt against the client's own budget per minute, then the
        ceiling for everyone (caller holds the lock)."""
        now = self._clock()
        mine = self._recent_by_client.setdefault(client, deque())
        for recent in (self._recent, mine):
            while recent and now - recent[0] > 60.0:
                recent.popleft()
        for quiet in [c for c, r in self._recent_by_client.items() if not r and c != client]:
            del self._recent_by_client[quiet]  # forgotten after a quiet minute
        if len(mine) >= self._per_client or len(self._recent) >= self._per_minute:
            return False
        self._recent.append(now)
        mine.append(now)
        return True


def client_from_forwarded(forwarded: str, trusted_hops: int) -> str | None:
    """The client address behind `trusted_hops` proxies of ours: each appends the
    address it received from, so the right-most entries are theirs and anything
    further left was written by the client itself and cannot be trusted."""
    entries = [e.strip() for e in forwarded.split(",") if e.strip()]
    if trusted_hops < 1 or len(entries) < trusted_hops:
        return None
    return entries[-trusted_hops]
