"""Regression guard: PySide6 6.12.0 on CPython 3.11 drops a reference to ``True`` on every
``Signal(bool).emit(True)``; after a few hundred emits the interpreter aborts (``Fatal Python
error: bool_dealloc``), at the latest at exit with rc 134. See PLATFORM-NOTES and the pin in pyproject.toml.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap

from PySide6.QtCore import QObject, Signal

EMITS = 10_000
BATCH = 100  # the bug loses one reference per emit: stop long before True's count reaches zero

# References handed back to True when the bug shows, so the interpreter lives to report the failure.
_compensation: list[bool] = []


class Emitter(QObject):
    fired = Signal(bool)


def test_emitting_a_bool_signal_keeps_the_refcount_of_true(qapp) -> None:
    emitter = Emitter()
    received = 0

    def slot(value: bool) -> None:
        nonlocal received
        received += value

    emitter.fired.connect(slot)
    gc.collect()
    gc.disable()  # no unrelated deallocation may move the count while we measure
    try:
        before = sys.getrefcount(True)
        for done in range(BATCH, EMITS + 1, BATCH):
            for _ in range(BATCH):
                emitter.fired.emit(True)
            now = sys.getrefcount(True)
            if now < before:
                _compensation.extend([True] * (before - now))
                raise AssertionError(
                    f"sys.getrefcount(True) fell from {before} to {now} after {done} emits: "
                    f"this PySide6 corrupts the refcount of True (see PLATFORM-NOTES, pin PySide6<6.12)"
                )
    finally:
        gc.enable()
    assert received == EMITS


SUBPROCESS_CODE = textwrap.dedent(
    f"""
    import sys
    from PySide6.QtCore import QCoreApplication, QObject, Signal

    class Emitter(QObject):
        fired = Signal(bool)

    app = QCoreApplication([])
    emitter = Emitter()
    count = [0]

    def slot(value):
        count[0] += 1

    emitter.fired.connect(slot)
    before = sys.getrefcount(True)
    for _ in range({EMITS}):
        emitter.fired.emit(True)
    print("emits", count[0], "refcount(True)", before, "->", sys.getrefcount(True))
    """
)


def test_emitting_a_bool_signal_then_exiting_does_not_abort() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-c", SUBPROCESS_CODE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, (
        f"a process that emitted Signal(bool) {EMITS} times exited with rc {proc.returncode} "
        f"(-6 or 134 = SIGABRT: the PySide6 bool refcount bug)\n"
        f"stdout: {proc.stdout}\nstderr: {proc.stderr[-2000:]}"
    )
