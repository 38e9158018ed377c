"""Network faults fail fast: a per-host retry budget bounds how long a feed waits on a host that
cannot be resolved, refuses connections, storms 429/5xx or stalls its body. Local servers only
(pytest-httpserver, raw sockets); ``.invalid`` never resolves (RFC 6761), no network needed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import socket
import threading
import time

import pytest
from werkzeug import Request, Response

from dagster_project.settings import SettingsError, http_retry_budget_s, load_settings
from dagster_project.sources.http import HostUnreachableError, HttpClient, HttpError
from dagster_project.sources.market_live import LiveEndpoints, load_equities, make_market_client

UA = "minerpivot-tests/0.1 (ops@example.org)"


def client(budget: float, **kwargs) -> HttpClient:
    options = dict(
        user_agent=UA,
        default_rate=1000.0,
        timeout=10.0,
        max_attempts=50,
        backoff_initial=0.1,
        backoff_max=0.3,
        retry_budget_s=budget,
    )
    options.update(kwargs)
    return HttpClient(**options)


def _timed(fn):
    started = time.monotonic()
    try:
        fn()
    except Exception as exc:  # returned for the assertions
        return exc, time.monotonic() - started
    return None, time.monotonic() - started


def test_budget_comes_from_the_environment(monkeypatch):
    assert http_retry_budget_s() == 60.0
    monkeypatch.setenv("MINERPIVOT_HTTP_RETRY_BUDGET_S", "7.5")
    assert http_retry_budget_s() == 7.5
    assert HttpClient(user_agent=UA).retry_budget_s == 7.5
    monkeypatch.setenv("MINERPIVOT_HTTP_RETRY_BUDGET_S", "soon")
    with pytest.raises(SettingsError, match="MINERPIVOT_HTTP_RETRY_BUDGET_S must be a number"):
        http_retry_budget_s()


def test_unresolvable_host_fails_within_the_budget_in_one_line():
    with client(1.5) as c:
        exc, took = _timed(lambda: c.get("http://nonexistent.invalid/api/v1/x"))
        assert isinstance(exc, HostUnreachableError) and not isinstance(exc, HttpError)
        text = str(exc)
        assert "\n" not in text
        assert text.startswith("host nonexistent.invalid failed for its whole retry budget: ")
        assert "ConnectError" in text and "budget 1.5 s per host" in text
        assert exc.attempts > 1  # it did retry, within the budget
        assert took < 1.5 + 0.5
        # the next request to that host fails at once; another host is not affected
        again, took_again = _timed(lambda: c.get("http://nonexistent.invalid/other"))
        assert isinstance(again, HostUnreachableError) and took_again < 0.05
        other, _ = _timed(lambda: c.get("http://also-nonexistent.invalid/"))
        assert isinstance(other, HostUnreachableError) and other.host == "also-nonexistent.invalid"


def test_refused_connection_fails_within_the_budget():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    with client(1.0) as c:
        exc, took = _timed(lambda: c.get(f"http://127.0.0.1:{port}/"))
    assert isinstance(exc, HostUnreachableError) and f"127.0.0.1:{port}" in str(exc)
    assert took < 1.5


def test_5xx_storm_fails_within_the_budget(httpserver):
    httpserver.expect_request("/storm").respond_with_data("busy", status=503)
    with client(1.0) as c:
        exc, took = _timed(lambda: c.get(httpserver.url_for("/storm")))
    assert isinstance(exc, HostUnreachableError) and "server error" in str(exc)
    assert took < 1.5 and len(httpserver.log) >= 3


def test_429_with_a_retry_after_beyond_the_budget_fails_at_once(httpserver):
    httpserver.expect_request("/limited").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "3600"}
    )
    with client(5.0, backoff_max=7200) as c:
        exc, took = _timed(lambda: c.get(httpserver.url_for("/limited")))
    assert isinstance(exc, HostUnreachableError) and "rate limited" in str(exc)
    assert took < 1.0 and len(httpserver.log) == 1  # no hour-long sleep


def test_a_short_storm_is_survived_and_resets_the_budget(httpserver):
    calls = {"n": 0}

    def flaky(request: Request) -> Response:
        calls["n"] += 1
        return Response("busy", status=503) if calls["n"] <= 2 else Response("ok")

    httpserver.expect_request("/flaky").respond_with_handler(flaky)
    with client(2.0) as c:
        assert c.get(httpserver.url_for("/flaky")).content == b"ok"
        assert c._budget_left(f"localhost:{httpserver.port}") == 2.0  # success resets it


class StallingServer:
    """Answers 200 with a Content-Length, then trickles one byte every ``gap`` seconds."""

    def __init__(self, gap: float) -> None:
        self.gap = gap
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            try:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
                while not self.stop.wait(self.gap):
                    conn.sendall(b"x")
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def test_a_stalled_body_fails_within_the_budget():
    server = StallingServer(gap=0.2)  # each read returns in time: only a deadline can stop it
    try:
        with client(1.5) as c:
            exc, took = _timed(lambda: c.get(f"http://127.0.0.1:{server.port}/big"))
    finally:
        server.close()
    assert isinstance(exc, HostUnreachableError), exc
    assert "stalled body" in str(exc)
    assert took < 1.5 + 0.5


def test_a_feed_against_an_unresolvable_host_fails_fast(monkeypatch, tmp_path):
    """The live equities feed loops over the tickers; the first exhausted budget ends it."""
    monkeypatch.setenv("MINERPIVOT_HTTP_RETRY_BUDGET_S", "1")
    settings = dataclasses.replace(load_settings(), raw_dir=tmp_path)
    endpoints = LiveEndpoints(yahoo="http://query1.finance.nonexistent.invalid")
    tickers = ["CORZ", "IREN", "HUT", "APLD", "WULF", "BTDR", "BTBT"]
    day = dt.date(2024, 3, 1)
    with make_market_client(settings) as c:
        exc, took = _timed(lambda: load_equities(c, tickers, day, day, endpoints=endpoints))
    assert isinstance(exc, HostUnreachableError), exc
    assert exc.host == "query1.finance.nonexistent.invalid"
    assert took < 2.0


def test_out_of_attempts_on_an_unreachable_host_names_the_host_but_keeps_its_budget():
    """Attempts run out before the budget: the error still names the host (not one URL), and
    the next request may try again until the budget is spent."""
    with client(30.0, max_attempts=2, backoff_initial=0.01, backoff_max=0.01) as c:
        first, took = _timed(lambda: c.get("http://nonexistent.invalid/a"))
        assert isinstance(first, HostUnreachableError) and first.attempts == 2 and took < 1.0
        assert str(first).startswith("host nonexistent.invalid unreachable: ConnectError")
        second, _ = _timed(lambda: c.get("http://nonexistent.invalid/b"))
        assert isinstance(second, HostUnreachableError) and second.attempts == 2  # tried again


def test_a_5xx_on_one_url_stays_that_urls_http_error(httpserver):
    httpserver.expect_request("/broken").respond_with_data("oops", status=500)
    with client(30.0, max_attempts=2, backoff_initial=0.01, backoff_max=0.01) as c:
        exc, _ = _timed(lambda: c.get(httpserver.url_for("/broken")))
    assert type(exc).__name__ == "RetryableHttpError" and exc.status == 500
