"""Notebooks done / total, rate and time left: tqdm's bar on a terminal; in a log (CI, a file), tqdm's same line
printed once every tenth instead of redrawn."""
from __future__ import annotations

import sys
import time

from tqdm import tqdm


class Progress:
    def __init__(self, total: int, unit: str, enabled: bool = True, stream=None):
        self.total, self.unit, self.done = total, unit, 0
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self.interactive = self.enabled and self.stream.isatty()
        self.bar = tqdm(total=total, unit=f" {unit}", file=self.stream, disable=not self.interactive)
        self.started = time.perf_counter()
        self._last_tenth = 0

    def advance(self) -> None:
        self.done += 1
        self.bar.update()
        tenth = 10 * self.done // self.total if self.total else 10
        if self.enabled and not self.interactive and tenth > self._last_tenth:
            self._last_tenth = tenth
            print(self.line(), file=self.stream, flush=True)

    def line(self) -> str:
        return tqdm.format_meter(self.done, self.total, time.perf_counter() - self.started, unit=f" {self.unit}")

    def close(self) -> None:
        self.bar.close()
