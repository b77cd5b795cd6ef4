"""A progress bar for long runs: done / total, rate and time left, on one terminal line.

On a terminal the line is redrawn in place; in a log (CI, a file) a line is printed at every tenth instead.
"""
from __future__ import annotations

import sys
import threading
import time


class Progress:
    def __init__(self, total: int, unit: str, enabled: bool = True, stream=None):
        self.total, self.unit, self.done = total, unit, 0
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self.interactive = self.stream.isatty()
        self.started = time.perf_counter()
        self._lock = threading.Lock()
        self._last_tenth = -1

    def advance(self, count: int = 1) -> None:
        with self._lock:
            self.done += count
            self._show()

    def finish(self) -> None:
        if self.enabled and self.interactive:
            self.stream.write("\n")
            self.stream.flush()

    def line(self) -> str:
        elapsed = time.perf_counter() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else float("nan")
        filled = int(30 * self.done / self.total) if self.total else 30
        bar = "#" * filled + "." * (30 - filled)
        left_text = f"{left:4.0f} s left" if left == left else "   ? s left"
        return f"[{bar}] {self.done}/{self.total} {self.unit} · {rate:.2f}/s · {left_text}"

    def _show(self) -> None:
        if not self.enabled:
            return
        if self.interactive:
            self.stream.write("\r" + self.line())
        else:
            tenth = 10 * self.done // self.total
            if tenth == self._last_tenth:
                return
            self._last_tenth = tenth
            self.stream.write(self.line() + "\n")
        self.stream.flush()
