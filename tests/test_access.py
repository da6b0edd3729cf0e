from __future__ import annotations

from ledger.storage.access import MAX_DELAY_SECONDS, EditorGate


def gate(secret: str | None = "s3cret") -> tuple[EditorGate, list[float]]:
    waits: list[float] = []
    return EditorGate(secret, base_delay=0.5, sleep=waits.append), waits


def test_right_secret_passes_and_wrong_one_fails():
    editor, _ = gate()
    assert editor.check("s3cret", "a")
    assert not editor.check("s3cret ", "a")
    assert not editor.check("", "a")


def test_no_secret_configured_means_publishing_is_off():
    editor, _ = gate(None)
    assert not editor.enabled
    assert not editor.check("", "a") and not editor.check("anything", "a")


def test_delay_grows_after_each_failure_and_resets_on_success():
    editor, waits = gate()
    for _ in range(4):
        editor.check("wrong", "a")
    editor.check("s3cret", "a")
    editor.check("s3cret", "a")
    assert waits == [0.0, 0.5, 1.0, 2.0, 4.0, 0.0]


def test_delay_is_capped_and_kept_per_client():
    editor, _ = gate()
    for _attempt in range(12):
        editor.check("wrong", "a")
    assert editor.delay_for("a") == MAX_DELAY_SECONDS
    assert editor.delay_for("b") == 0.0


def test_parallel_guesses_from_one_client_wait_one_after_another():
    # eight sessions from one address guessing at once: each waits out the delay
    # its predecessors earned, as if they had guessed in turn
    import threading
    import time

    waits: list[float] = []

    def slow_sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(0.02)  # long enough for the others to arrive meanwhile

    editor = EditorGate("s3cret", base_delay=0.5, sleep=slow_sleep)
    threads = [threading.Thread(target=editor.check, args=("wrong", "10.0.0.9"))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert waits == [0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, MAX_DELAY_SECONDS]


def test_a_ceiling_per_minute_holds_when_every_guess_comes_from_a_new_address():
    from ledger.storage.access import Outcome

    now = [0.0]
    editor = EditorGate("s3cret", sleep=lambda s: None, clock=lambda: now[0], per_minute=5)
    outcomes = [editor.attempt("wrong", f"10.0.0.{i}") for i in range(8)]
    assert outcomes == [Outcome.WRONG] * 5 + [Outcome.BUSY] * 3
    assert editor.attempt("s3cret", "10.0.1.1") is Outcome.BUSY  # not even compared
    now[0] = 61.0
    assert editor.attempt("s3cret", "10.0.1.1") is Outcome.ACCEPTED


def test_the_delay_decays_and_a_right_secret_waits_it_out_then_resets_the_streak():
    from ledger.storage.access import DECAY_SECONDS

    now = [0.0]
    waits: list[float] = []
    editor = EditorGate("s3cret", base_delay=0.5, sleep=waits.append, clock=lambda: now[0],
                        per_minute=1000)
    for _ in range(6):
        editor.check("wrong", "proxy")
    assert editor.delay_for("proxy") == 16.0
    now[0] += 2 * DECAY_SECONDS  # two failures forgotten
    assert editor.delay_for("proxy") == 4.0
    assert editor.check("s3cret", "proxy") and waits[-1] == 4.0
    assert editor.delay_for("proxy") == 0.0


def test_behind_trusted_proxies_the_address_they_added_is_used_not_the_clients_claim():
    from ledger.storage.access import client_from_forwarded

    # the client sent "X-Forwarded-For: 1.2.3.4"; our nginx appended what it saw
    assert client_from_forwarded("1.2.3.4, 203.0.113.7", 1) == "203.0.113.7"
    # a load balancer in front of nginx: two hops of ours
    assert client_from_forwarded("1.2.3.4, 203.0.113.7, 10.0.0.2", 2) == "203.0.113.7"
    assert client_from_forwarded("", 1) is None
    assert client_from_forwarded("203.0.113.7", 2) is None


def test_one_address_that_keeps_guessing_locks_out_only_itself():
    # per address 10 a minute, everyone together 200: an attacker's 30 wrong guesses
    # from one address leave the editor at another address able to publish
    from ledger.storage.access import ATTEMPTS_PER_MINUTE_PER_CLIENT, Outcome

    now = [0.0]
    editor = EditorGate("s3cret", sleep=lambda s: None, clock=lambda: now[0])
    outcomes = [editor.attempt("wrong", "198.51.100.9") for _ in range(30)]
    assert outcomes == ([Outcome.WRONG] * ATTEMPTS_PER_MINUTE_PER_CLIENT
                        + [Outcome.BUSY] * (30 - ATTEMPTS_PER_MINUTE_PER_CLIENT))
    assert editor.attempt("s3cret", "203.0.113.7") is Outcome.ACCEPTED
    assert editor.attempt("s3cret", "198.51.100.9") is Outcome.BUSY  # still its own minute
    now[0] = 61.0
    assert editor.attempt("s3cret", "198.51.100.9") is Outcome.ACCEPTED
