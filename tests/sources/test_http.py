"""HttpClient + LandingZone against a locally served HTTP server (pytest-httpserver)."""

from __future__ import annotations

import json
import socket
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from werkzeug import Request, Response

from dagster_project.sources.http import (
    HttpClient,
    HttpError,
    RateLimitedError,
    parse_retry_after,
    redact_url,
)
from dagster_project.sources.landing import FetchedResponse, LandingZone, LandingZoneError

UA = "minerpivot-tests/0.1 (ops@example.org)"


class SleepRecorder:
    """Stands in for time.sleep so backoff waits are observed, not waited for."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def make_client(tmp_path: Path | None = None, **kwargs) -> HttpClient:
    options = dict(
        user_agent=UA,
        default_rate=1000.0,
        timeout=2.0,
        max_attempts=4,
        backoff_initial=0.01,
        backoff_max=0.05,
    )
    options.update(kwargs)
    if tmp_path is not None:
        options["landing"] = LandingZone(tmp_path / "landing")
    return HttpClient(**options)


def test_sends_descriptive_user_agent_and_params(httpserver):
    httpserver.expect_oneshot_request(
        "/data", query_string="a=1&b=x", headers={"User-Agent": UA}
    ).respond_with_json({"ok": True})
    with make_client() as client:
        response = client.get(httpserver.url_for("/data"), {"a": 1, "b": "x"})
    assert response.status == 200
    assert json.loads(response.content) == {"ok": True}
    assert response.headers["content-type"] == "application/json"
    assert response.fetched_at.tzinfo is not None
    httpserver.check_assertions()


def test_429_then_success_honours_retry_after(httpserver):
    httpserver.expect_ordered_request("/r").respond_with_data(
        "<html><title>429 Too Many Requests</title></html>",
        status=429,
        headers={"Retry-After": "7"},
    )
    httpserver.expect_ordered_request("/r").respond_with_json({"n": 1})
    sleeper = SleepRecorder()
    with make_client(sleep=sleeper, backoff_max=60.0) as client:
        response = client.get(httpserver.url_for("/r"))
    assert json.loads(response.content) == {"n": 1}
    assert sleeper.waits == [7.0]


def test_retry_after_is_capped_by_backoff_max(httpserver):
    httpserver.expect_ordered_request("/r").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "3600"}
    )
    httpserver.expect_ordered_request("/r").respond_with_data("fine")
    sleeper = SleepRecorder()
    with make_client(sleep=sleeper, backoff_max=30.0) as client:
        assert client.get(httpserver.url_for("/r")).content == b"fine"
    assert sleeper.waits == [30.0]


def test_persistent_429_raises_rate_limited_error(httpserver):
    httpserver.expect_request("/r").respond_with_data("Too Many Requests", status=429)
    sleeper = SleepRecorder()
    with (
        make_client(sleep=sleeper, max_attempts=3) as client,
        pytest.raises(RateLimitedError) as info,
    ):
        client.get(httpserver.url_for("/r"))
    assert info.value.status == 429
    assert info.value.attempts == 3
    assert len(sleeper.waits) == 2
    assert httpserver.url_for("/r") in str(info.value)
    assert "Too Many Requests" in info.value.body_excerpt


def test_500_then_success_with_exponential_backoff(httpserver):
    for _ in range(2):
        httpserver.expect_ordered_request("/s").respond_with_json(
            {"error": "Failed to get historical hashrate"}, status=500
        )
    httpserver.expect_ordered_request("/s").respond_with_json([1, 2])
    sleeper = SleepRecorder()
    with make_client(sleep=sleeper, backoff_initial=1.0, backoff_max=60.0) as client:
        response = client.get(httpserver.url_for("/s"))
    assert json.loads(response.content) == [1, 2]
    # multiplier * 2**(n-1) + jitter in [0, initial]
    assert 1.0 <= sleeper.waits[0] <= 2.0
    assert 2.0 <= sleeper.waits[1] <= 3.0


def test_persistent_500_raises_http_error_naming_url_and_status(httpserver):
    httpserver.expect_request("/broken").respond_with_data("upstream exploded", status=500)
    with make_client(max_attempts=3) as client, pytest.raises(HttpError) as info:
        client.get(httpserver.url_for("/broken"), {"x": "1"})
    message = str(info.value)
    assert httpserver.url_for("/broken") + "?x=1" in message
    assert "HTTP 500" in message
    assert "after 3 attempts" in message
    assert info.value.status == 500
    assert not isinstance(info.value, RateLimitedError)
    assert [req.path for req, _ in httpserver.log].count("/broken") == 3


def test_404_is_not_retried(httpserver):
    httpserver.expect_request("/missing").respond_with_json(
        {"chart": {"result": None, "error": {"code": "Not Found"}}}, status=404
    )
    sleeper = SleepRecorder()
    with make_client(sleep=sleeper) as client, pytest.raises(HttpError) as info:
        client.get(httpserver.url_for("/missing"))
    assert info.value.status == 404
    assert info.value.attempts == 1
    assert sleeper.waits == []
    assert [req.path for req, _ in httpserver.log].count("/missing") == 1


def test_timeout_then_success(httpserver, caplog):
    calls = {"n": 0}

    release = threading.Event()

    def slow_then_fast(request: Request) -> Response:
        calls["n"] += 1
        if calls["n"] == 1:
            release.wait(timeout=0.6)
        return Response('{"ok": 1}', content_type="application/json")

    httpserver.expect_request("/slow").respond_with_handler(slow_then_fast)
    with make_client(timeout=0.2) as client:
        response = client.get(httpserver.url_for("/slow"))
    release.set()
    assert json.loads(response.content) == {"ok": 1}
    # The test server is single-threaded, so a retry can queue behind the slow handler and
    # time out too; what matters is that timeouts were retried until a fast reply came.
    assert calls["n"] >= 2
    assert "ReadTimeout" in caplog.text


def test_persistent_timeout_raises_http_error_without_status(httpserver):
    release = threading.Event()

    def slow(request: Request) -> Response:
        release.wait(timeout=0.4)
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    try:
        with make_client(timeout=0.1, max_attempts=2) as client, pytest.raises(HttpError) as info:
            client.get(httpserver.url_for("/slow"))
    finally:
        release.set()  # let queued requests drain so they do not leak into the next test
    assert info.value.status is None
    assert "Timeout" in str(info.value)
    assert httpserver.url_for("/slow") in str(info.value)


class TruncatingServer:
    """A raw socket server whose first N replies declare more bytes than they send."""

    def __init__(self, bodies: list[tuple[bytes, int]]) -> None:
        self.bodies = list(bodies)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.requests = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.bodies:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                self.requests += 1
                body, declared = self.bodies.pop(0)
                head = (
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {declared}\r\nConnection: close\r\n\r\n"
                ).encode()
                conn.sendall(head + body)

    def close(self) -> None:
        self.sock.close()


def test_truncated_body_is_retried():
    full = b'{"Response": "Success", "Data": {"Data": []}}'
    server = TruncatingServer([(full[:20], len(full)), (full, len(full))])
    try:
        with make_client() as client:
            response = client.get(f"http://127.0.0.1:{server.port}/histoday")
    finally:
        server.close()
    assert response.content == full
    assert server.requests == 2


def test_persistently_truncated_body_raises_clear_error():
    full = b'{"prices": [[1704067200000, 42261.04]]}'
    server = TruncatingServer([(full[:10], len(full))] * 2)
    try:
        with make_client(max_attempts=2) as client, pytest.raises(HttpError) as info:
            client.get(f"http://127.0.0.1:{server.port}/chart")
    finally:
        server.close()
    assert info.value.status is None  # h11 reports the short read as a protocol error
    assert "/chart" in str(info.value)
    assert "RemoteProtocolError" in str(info.value)


def test_content_length_mismatch_detected_without_socket_error():
    """A transport that hands over a short body with a longer Content-Length header."""
    bodies = [b'{"a": 1', b'{"a": 1}']

    def handler(request: httpx.Request) -> httpx.Response:
        body = bodies.pop(0)
        return httpx.Response(200, content=body, headers={"Content-Length": "8"})

    with make_client(transport=httpx.MockTransport(handler)) as client:
        response = client.get("https://example.test/x")
    assert response.content == b'{"a": 1}'
    assert bodies == []


def test_error_body_with_200_is_retried_then_raises(httpserver):
    body = {"Response": "Error", "Type": 99, "Message": "You are over your rate limit"}
    httpserver.expect_request("/cc").respond_with_json(body)

    def rate_limited(resp: FetchedResponse) -> str | None:
        data = json.loads(resp.content)
        return data["Message"] if data.get("Type") == 99 else None

    with make_client(max_attempts=2) as client, pytest.raises(HttpError) as info:
        client.get(httpserver.url_for("/cc"), is_error_body=rate_limited)
    assert "over your rate limit" in str(info.value)
    assert info.value.status == 200
    assert [req.path for req, _ in httpserver.log].count("/cc") == 2


def test_api_keys_are_redacted_from_urls():
    assert redact_url("https://h/p?api_key=sekret&fsym=BTC") == (
        "https://h/p?api_key=REDACTED&fsym=BTC"
    )


def test_redacted_url_in_landed_meta(httpserver, tmp_path):
    httpserver.expect_request("/k").respond_with_data("x")
    with make_client(tmp_path) as client:
        resp = client.get(
            httpserver.url_for("/k"), {"api_key": "sekret"}, landing=("src", "2024-01-01", "k")
        )
    assert "sekret" not in resp.url
    meta_text = next((tmp_path / "landing/src/2024-01-01").glob("*.meta.json")).read_text()
    assert "sekret" not in meta_text


def test_parse_retry_after_http_date():
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Wed, 01 May 2024 12:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_per_host_rates_and_validation():
    client = make_client(rate_limits={"mempool.space": 0.5, "127.0.0.1:9000": 3.0})
    try:
        assert client.rate_for("mempool.space") == 0.5
        assert client.rate_for("MEMPOOL.SPACE:443") == 0.5
        assert client.rate_for("127.0.0.1:9000") == 3.0
        assert client.rate_for("other.example") == 1000.0
    finally:
        client.close()
    with pytest.raises(ValueError, match="rate limit"):
        make_client(rate_limits={"x": 0})
    with pytest.raises(ValueError, match="User-Agent"):
        HttpClient(user_agent=" ")


def test_rate_limiter_spaces_requests_to_one_host(httpserver):
    """Two requests at 5 req/s to one host: the limiter must have made the second one wait."""
    httpserver.expect_request("/p").respond_with_data("ok")
    host = f"{httpserver.host}:{httpserver.port}"
    with make_client(rate_limits={host: 5.0}) as client:
        client.get(httpserver.url_for("/p"))
        client.get(httpserver.url_for("/p"))
    bucket = client._limiter.bucket_factory._buckets[host]  # type: ignore[attr-defined]
    assert [rate.interval for rate in bucket.rates] == [200]
    assert len(bucket.items) == 2
    assert bucket.items[1].timestamp - bucket.items[0].timestamp >= 150


def test_closed_client_refuses_requests():
    client = make_client()
    client.close()
    client.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        client.get("https://example.test/")


# -- landing zone ------------------------------------------------------------------------------


def test_two_fetches_make_two_immutable_files_and_latest_reparses(httpserver, tmp_path):
    httpserver.expect_ordered_request("/v").respond_with_json({"v": 1})
    httpserver.expect_ordered_request("/v").respond_with_json({"v": 2})
    key = ("mempool", "2024-04-20", "hashrate_3d")
    with make_client(tmp_path) as client:
        first = client.get(httpserver.url_for("/v"), landing=key)
        second = client.get(httpserver.url_for("/v"), landing=key)
    zone = LandingZone(tmp_path / "landing")
    metas = zone.list(*key)
    bodies = sorted((tmp_path / "landing/mempool/2024-04-20").glob("*.body"))
    assert len(metas) == 2 and len(bodies) == 2
    assert [json.loads(p.read_bytes()) for p in bodies] == [{"v": 1}, {"v": 2}]
    assert first.fetched_at < second.fetched_at
    replay = zone.latest(*key)
    assert replay is not None
    assert replay.content == second.content
    assert replay.url == second.url
    assert replay.status == 200
    assert replay.fetched_at == second.fetched_at
    assert replay.headers["content-type"] == "application/json"
    meta = json.loads(metas[0].read_text())
    assert meta["sha256"] == first.sha256
    assert zone.latest("mempool", "2024-04-21", "hashrate_3d") is None


def _response(content: bytes, when: datetime) -> FetchedResponse:
    return FetchedResponse("https://h/x", 200, {"a": "b"}, content, when)


def test_landing_never_overwrites(tmp_path):
    zone = LandingZone(tmp_path)
    when = datetime(2024, 4, 20, 1, 2, 3, 456789, tzinfo=UTC)
    path = zone.write("src", "2024-04-20", "feed", _response(b"one", when))
    assert path.name == "feed__20240420T010203456789Z.body"
    # Same bytes again: idempotent, no error.
    assert zone.write("src", "2024-04-20", "feed", _response(b"one", when)) == path
    with pytest.raises(LandingZoneError, match="refusing to overwrite"):
        zone.write("src", "2024-04-20", "feed", _response(b"two", when))
    assert path.read_bytes() == b"one"
    assert not list(tmp_path.rglob(".tmp-*"))
    later = zone.write("src", "2024-04-20", "feed", _response(b"two", when + timedelta(seconds=1)))
    assert later != path
    assert zone.latest("src", "2024-04-20", "feed").content == b"two"


def test_landing_detects_tampered_body(tmp_path):
    zone = LandingZone(tmp_path)
    when = datetime(2024, 4, 20, tzinfo=UTC)
    path = zone.write("src", "p", "feed", _response(b"original", when))
    path.chmod(0o644)
    path.write_bytes(b"changed")
    with pytest.raises(LandingZoneError, match="checksum mismatch"):
        zone.latest("src", "p", "feed")


def test_landing_ignores_body_without_meta(tmp_path):
    zone = LandingZone(tmp_path)
    (tmp_path / "src/p").mkdir(parents=True)
    (tmp_path / "src/p/feed__20240101T000000000000Z.body").write_bytes(b"half-written")
    assert zone.latest("src", "p", "feed") is None


@pytest.mark.parametrize("bad", ["../etc", "a/b", "", "x__y"])
def test_landing_rejects_unsafe_names(tmp_path, bad):
    zone = LandingZone(tmp_path)
    with pytest.raises(LandingZoneError):
        zone.write("src", "p", bad, _response(b"x", datetime(2024, 1, 1, tzinfo=UTC)))


def test_landing_without_zone_configured_is_an_error():
    with make_client() as client, pytest.raises(ValueError, match="no LandingZone"):
        client.get("https://example.test/", landing=("a", "b", "c"))


def test_limiter_is_shared_across_threads(httpserver):
    """Six threads, one client, 20 req/s to one host: admissions stay >= ~50 ms apart."""
    httpserver.expect_request("/t").respond_with_data("ok")
    host = f"{httpserver.host}:{httpserver.port}"
    client = make_client(rate_limits={host: 20.0})
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            client.get(httpserver.url_for("/t"))
        except BaseException as exc:  # pragma: no cover - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    client.close()
    assert errors == []
    bucket = client._limiter.bucket_factory._buckets[host]  # type: ignore[attr-defined]
    stamps = sorted(item.timestamp for item in bucket.items)
    assert len(stamps) == 6
    assert min(b - a for a, b in zip(stamps, stamps[1:], strict=False)) >= 45
