"""Read dbt's stdout in a background thread so dbt never waits for Dagster.

dagster-dbt reads dbt's JSON log lines from a pipe in the same loop that turns each one into
Dagster events and stores them. A full ``dbt build`` here prints ~600 lines (~650 KB) and the
pipe holds 64 KB, so whenever storing events lagged, dbt blocked on ``write()`` and the two
took turns instead of overlapping. ``PrefetchedStdout`` takes the pipe's place on the
``Popen`` object (a public attribute) and a daemon thread drains the pipe into memory as fast
as dbt writes; dagster-dbt reads the same lines, in order, from the queue.
"""

import queue
import subprocess
import threading
from collections.abc import Iterator
from typing import IO, Any

_END = object()


class PrefetchedStdout:
    """Line iterator over a pipe, filled by a background thread (file-like enough for
    dagster-dbt: iteration, ``closed`` and ``with``)."""

    def __init__(self, pipe: IO[bytes], poll_seconds: float = 0.5) -> None:
        self._pipe = pipe
        self._lines: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._poll_seconds = poll_seconds
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._drain, name="dbt-stdout", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        try:
            for line in self._pipe:
                self._lines.put(line)
        except BaseException as exc:  # handed to the reader, not lost in the thread
            self._error = exc
        finally:
            self._lines.put(_END)

    @property
    def closed(self) -> bool:
        return self._pipe.closed and self._lines.empty()

    def __iter__(self) -> Iterator[bytes]:
        while True:
            try:
                # A timeout keeps the main thread responsive to Dagster's interrupt (Ctrl-C),
                # which dagster-dbt forwards to dbt when it reaches its except clause.
                line = self._lines.get(timeout=self._poll_seconds)
            except queue.Empty:
                continue
            if line is _END:
                if self._error is not None:
                    raise self._error
                return
            yield line

    def __enter__(self) -> "PrefetchedStdout":
        return self

    def __exit__(self, *exc: object) -> None:
        self._pipe.close()


def prefetch_stdout(process: subprocess.Popen[bytes]) -> None:
    """Swap ``process.stdout`` for a ``PrefetchedStdout`` draining it in the background."""
    if process.stdout is not None and not isinstance(process.stdout, PrefetchedStdout):
        process.stdout = PrefetchedStdout(process.stdout)  # type: ignore[assignment]
