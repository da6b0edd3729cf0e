from __future__ import annotations

from ledger.access import MAX_DELAY_SECONDS, EditorGate


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
