"""dbt's stdout is drained in the background: the child never blocks on a full pipe while the
reader is slow, and the reader still gets every line, in order."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from dagster_project.defs.dbt_stdout import PrefetchedStdout, prefetch_stdout

# ~1 MB in 4,000 JSON-ish lines, far beyond a 64 KB pipe buffer, then exit.
WRITER = (
    "import sys\n"
    "for i in range(4000):\n"
    '    sys.stdout.write(\'{"n": %d, "pad": "%s"}\\n\' % (i, \'x\' * 240))\n'
    "sys.stdout.flush()\n"
)


def _writer() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", WRITER], stdout=subprocess.PIPE)


def test_writer_finishes_before_a_slow_reader_has_read_the_pipe():
    process = _writer()
    prefetch_stdout(process)
    assert isinstance(process.stdout, PrefetchedStdout)
    # Read one line, then stall as a busy Dagster step would.
    lines = iter(process.stdout)
    first = next(lines)
    process.wait(timeout=20)  # would time out if the child were blocked on write()
    rest = list(lines)
    got = [first, *rest]
    assert len(got) == 4000
    assert [int(line.split(b",")[0].split(b":")[1]) for line in got] == list(range(4000))


def test_without_prefetch_the_same_writer_blocks_on_the_full_pipe():
    """The control: what happened before (the test above would pass vacuously otherwise)."""
    process = _writer()
    assert process.stdout is not None
    process.stdout.readline()
    time.sleep(0.5)
    assert process.poll() is None  # still blocked writing
    process.stdout.read()
    process.wait(timeout=20)


def test_works_as_dagster_dbt_reads_it():
    """dagster-dbt checks ``closed``, enters ``with`` and iterates."""
    process = _writer()
    prefetch_stdout(process)
    prefetch_stdout(process)  # idempotent
    stdout = process.stdout
    assert stdout is not None and not stdout.closed
    with stdout:
        count = sum(1 for _ in stdout)
    assert count == 4000
    assert stdout.closed
    process.wait(timeout=20)


def test_a_read_error_reaches_the_reader():
    class Broken:
        closed = False

        def __iter__(self):
            yield b"one\n"
            raise OSError("pipe broke")

        def close(self) -> None:
            self.closed = True

    reader = PrefetchedStdout(Broken())  # type: ignore[arg-type]
    lines = iter(reader)
    assert next(lines) == b"one\n"
    with pytest.raises(OSError, match="pipe broke"):
        next(lines)


def test_a_signal_reaches_the_reader_while_dbt_is_silent():
    """Dagster turns Ctrl-C into an exception in the main thread, which dagster-dbt catches to
    forward SIGINT to dbt: waiting on the queue must not swallow or delay it."""
    import signal

    class Interrupted(Exception):
        pass

    def raise_interrupted(signum, frame):
        raise Interrupted

    silent = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(30)"], stdout=subprocess.PIPE
    )
    previous = signal.signal(signal.SIGALRM, raise_interrupted)
    try:
        prefetch_stdout(silent)
        assert silent.stdout is not None
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        started = time.monotonic()
        with pytest.raises(Interrupted):
            for _ in silent.stdout:
                pass
        assert time.monotonic() - started < 5
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        silent.kill()
        silent.wait()
