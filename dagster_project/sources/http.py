"""Shared live HTTP layer: httpx + tenacity retries + pyrate-limiter per-host limits.

Plain Python (no Dagster import). One :class:`HttpClient` is meant to be shared by every caller
of a process (it is thread-safe): the per-host limiter only protects a host if all requests to it
go through the same client. See ``docs/http-clients.md`` for why these libraries and how.
"""

from __future__ import annotations

import email.utils
import logging
import math
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

import httpx
from pyrate_limiter import BucketFactory, InMemoryBucket, Limiter, Rate, RateItem
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    wait_exponential_jitter,
)

from dagster_project.settings import http_retry_budget_s
from dagster_project.sources.landing import FetchedResponse, LandingZone

log = logging.getLogger(__name__)

#: Query parameters whose values never appear in URLs we log, raise or land.
SECRET_PARAMS = frozenset({"api_key", "apikey", "x_cg_demo_api_key", "x_cg_pro_api_key", "key"})
_EXCERPT_CHARS = 300


def redact_url(url: str | httpx.URL) -> str:
    """``url`` with secret query parameter values replaced by ``REDACTED``."""
    parsed = httpx.URL(str(url))
    if not parsed.query:
        return str(parsed)
    params = [
        (k, "REDACTED" if k.lower() in SECRET_PARAMS else v) for k, v in parsed.params.multi_items()
    ]
    return str(parsed.copy_with(params=params))


class HttpError(RuntimeError):
    """A request failed for good; the message names the URL and the HTTP status.

    ``status`` is None when no response was received (timeout, connection or protocol error).
    ``attempts`` is how many tries were made before giving up.
    """

    retryable = False

    def __init__(
        self,
        url: str,
        status: int | None,
        body_excerpt: str = "",
        *,
        reason: str = "",
        retry_after: float | None = None,
    ) -> None:
        self.url = url
        self.status = status
        self.body_excerpt = body_excerpt
        self.reason = reason
        self.retry_after = retry_after
        self.attempts = 1
        super().__init__(url, status)

    def __str__(self) -> str:
        status = f"HTTP {self.status}" if self.status is not None else "no response"
        text = f"GET {self.url} failed: {status}"
        if self.reason:
            text += f" ({self.reason})"
        text += f" after {self.attempts} attempt{'s' if self.attempts != 1 else ''}"
        if self.body_excerpt:
            text += f"; body starts: {self.body_excerpt!r}"
        return text


class RetryableHttpError(HttpError):
    """A failure worth retrying (5xx, timeout, truncated body, transient error body)."""

    retryable = True
    #: True when the host could not be resolved or connected to (not this URL's problem)
    host_level = False


class RateLimitedError(RetryableHttpError):
    """HTTP 429 (or a rate-limit error body) that persisted after every retry."""


class HostUnreachableError(RuntimeError):
    """A host kept failing for its whole retry budget; its requests now fail at once.

    Deliberately *not* an :class:`HttpError`: callers that skip one bad URL and go on (one
    filing, one ticker) must not swallow it, so the feed that needs the host fails fast.
    ``str()`` is one line naming the host, the last error and the budget.
    """

    def __init__(
        self,
        host: str,
        last_error: str,
        *,
        attempts: int,
        elapsed: float,
        budget: float,
        spent: bool = True,
    ) -> None:
        self.host = host
        self.last_error = last_error
        self.attempts = attempts
        self.elapsed = elapsed
        self.budget = budget
        self.spent = spent  # False: out of attempts for one URL, the budget still has time
        super().__init__(host, last_error)

    def __str__(self) -> str:
        if not self.spent:
            return (
                f"host {self.host} unreachable: {self.last_error} ({self.attempts} attempt"
                f"{'s' if self.attempts != 1 else ''} over {self.elapsed:.1f} s)"
            )
        return (
            f"host {self.host} failed for its whole retry budget: {self.last_error} "
            f"({self.attempts} attempt{'s' if self.attempts != 1 else ''} over "
            f"{self.elapsed:.1f} s; budget {self.budget:g} s per host, "
            "MINERPIVOT_HTTP_RETRY_BUDGET_S)"
        )


def _excerpt(content: bytes) -> str:
    return content[:_EXCERPT_CHARS].decode("utf-8", errors="replace").strip()


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date), else None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class _HostBuckets(BucketFactory):
    """Routes each host to its own in-memory bucket (one leak thread for all of them).

    ``rate_for(host)`` gives requests/second; a rate ``r`` becomes ``Rate(1, 1000/r ms)`` so
    requests are evenly spaced rather than bursting ``r`` at the start of each second.
    """

    def __init__(self, rate_for: Callable[[str], float]) -> None:
        self._rate_for = rate_for
        self._buckets: dict[str, InMemoryBucket] = {}
        self._clock_bucket = InMemoryBucket([Rate(1, 1000)])  # only used for its clock

    @staticmethod
    def rate(per_second: float) -> Rate:
        if per_second <= 0:
            raise ValueError(f"rate limit must be > 0 requests/second, got {per_second}")
        return Rate(1, max(1, math.ceil(1000 / per_second)))

    def wrap_item(self, name: str, weight: int = 1) -> RateItem:
        return RateItem(name, self._clock_bucket.now(), weight=weight)

    def get(self, item: RateItem) -> InMemoryBucket:
        # Called by Limiter under its lock, so lazy creation is thread-safe.
        bucket = self._buckets.get(item.name)
        if bucket is None:
            bucket = self.create(InMemoryBucket, [self.rate(self._rate_for(item.name))])
            self._buckets[item.name] = bucket
        return bucket

    def owned_buckets(self) -> list[Any]:
        return list(self._buckets.values())


class HttpClient:
    """Polite, retrying, rate-limited GET client; every success can land in a LandingZone.

    ``rate_limits`` maps a host (``"mempool.space"``, or ``"127.0.0.1:8080"`` with a port) to the
    maximum requests per second; other hosts get ``default_rate``. ``sleep`` is injectable so tests
    can observe backoff waits without waiting.
    """

    def __init__(
        self,
        *,
        user_agent: str,
        rate_limits: dict[str, float] | None = None,
        default_rate: float = 1.0,
        timeout: float = 30.0,
        max_attempts: int = 5,
        backoff_initial: float = 1.0,
        backoff_max: float = 60.0,
        landing: LandingZone | None = None,
        transport: httpx.BaseTransport | None = None,
        extra_headers: dict[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        retry_budget_s: float | None = None,
    ) -> None:
        if not user_agent or not user_agent.strip():
            raise ValueError("HttpClient needs a descriptive User-Agent")
        if max_attempts < 1:
            raise ValueError(f"max_attempts must be >= 1, got {max_attempts}")
        self.user_agent = user_agent.strip()
        self.rate_limits = {k.lower(): v for k, v in (rate_limits or {}).items()}
        self.default_rate = default_rate
        for value in (*self.rate_limits.values(), default_rate):
            _HostBuckets.rate(value)  # validate early
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.landing = landing
        self._sleep = sleep
        self.retry_budget_s = http_retry_budget_s() if retry_budget_s is None else retry_budget_s
        if self.retry_budget_s <= 0:
            raise ValueError(f"retry_budget_s must be > 0, got {self.retry_budget_s}")
        # per host: monotonic time of the start of the first attempt of the current failure run
        self._failing_since: dict[str, float] = {}
        self._unreachable: dict[str, HostUnreachableError] = {}
        self._hosts_lock = threading.Lock()
        headers = {
            "User-Agent": self.user_agent,
            "Accept-Encoding": "gzip, deflate",
            **(extra_headers or {}),
        }
        self._client = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            transport=transport,
        )
        self._limiter = Limiter(_HostBuckets(self.rate_for))
        self._closed = False
        self._close_lock = threading.Lock()

    # -- configuration -------------------------------------------------------------------------

    def rate_for(self, host: str) -> float:
        """Requests/second allowed for ``host`` (``netloc``; falls back to the bare hostname)."""
        host = host.lower()
        if host in self.rate_limits:
            return self.rate_limits[host]
        return self.rate_limits.get(host.split(":", 1)[0], self.default_rate)

    # -- requests ------------------------------------------------------------------------------

    def get(
        self,
        url: str,
        params: dict[str, Any] | None = None,
        *,
        landing: tuple[str, str, str] | None = None,
        is_error_body: Callable[[FetchedResponse], str | None] | None = None,
        headers: dict[str, str] | None = None,
    ) -> FetchedResponse:
        """GET ``url`` with retries; land the final response under ``landing`` if given.

        ``is_error_body`` inspects a 2xx response and returns a message when the body is a
        *transient* error served with a success status (e.g. a rate-limit notice with HTTP 200);
        such responses are retried like a 5xx. Permanent error bodies are the parser's job.
        Raises :class:`HttpError` (or :class:`RateLimitedError` for a persistent 429).
        """
        if self._closed:
            raise RuntimeError("HttpClient is closed")
        if landing is not None and self.landing is None:
            raise ValueError(f"landing={landing!r} given but this HttpClient has no LandingZone")
        request_url = httpx.URL(url, params=params) if params else httpx.URL(url)
        host = request_url.netloc.decode("ascii").lower()
        with self._hosts_lock:
            spent = self._unreachable.get(host)
        if spent is not None:
            raise spent  # the budget is spent: no more waiting on this host in this client
        attempts = 0

        def stop(state: RetryCallState) -> bool:
            # tenacity computes the wait before asking stop: never wait past the host's budget,
            # nor start an attempt with less than a tenth of it left (it could not finish)
            return (
                state.attempt_number >= self.max_attempts
                or state.upcoming_sleep + self.retry_budget_s / 10 > self._budget_left(host)
            )

        retrying = Retrying(
            stop=stop,
            wait=self._wait,
            retry=retry_if_exception(lambda exc: isinstance(exc, RetryableHttpError)),
            sleep=self._sleep,
            before_sleep=self._log_retry,
            reraise=True,
        )

        def attempt() -> FetchedResponse:
            nonlocal attempts
            attempts += 1
            started = time.monotonic()
            try:
                response = self._attempt(request_url, headers, is_error_body, host)
            except RetryableHttpError as exc:
                exc.attempts = attempts
                with self._hosts_lock:
                    self._failing_since.setdefault(host, started)
                raise
            except HttpError as exc:  # an answer (4xx): the host is reachable
                exc.attempts = attempts
                self._host_ok(host)
                raise
            self._host_ok(host)
            return response

        try:
            response = retrying(attempt)
        except RetryableHttpError as exc:
            self._give_up_if_spent(host, exc, attempts)
            raise
        if landing is not None:
            assert self.landing is not None
            path = self.landing.write(*landing, response)
            log.debug("landed %s at %s", response.url, path)
        return response

    def _attempt(
        self,
        url: httpx.URL,
        headers: dict[str, str] | None,
        is_error_body: Callable[[FetchedResponse], str | None] | None,
        host: str,
    ) -> FetchedResponse:
        shown = redact_url(url)
        self._limiter.try_acquire(host)
        # One attempt never outlasts what is left of the host's budget: each network phase
        # (connect, each read) gets half of the attempt's limit, and the body must be complete
        # by the other half, so a server that trickles bytes cannot hold the feed forever.
        limit = min(self._budget_left(host), 2 * self.timeout)
        started = time.monotonic()
        try:
            with self._client.stream(
                "GET", url, headers=headers, timeout=httpx.Timeout(max(limit / 2, 0.001))
            ) as raw:
                chunks = []
                declared = raw.headers.get("content-length", "").strip()
                expected = int(declared) if declared.isdigit() else None
                for chunk in raw.iter_bytes():
                    chunks.append(chunk)
                    elapsed = time.monotonic() - started
                    complete = expected is not None and raw.num_bytes_downloaded >= expected
                    if elapsed > limit and not complete:
                        raise RetryableHttpError(
                            shown,
                            raw.status_code,
                            reason=(
                                f"stalled body: {sum(map(len, chunks))} bytes in {elapsed:.1f} s"
                            ),
                        )
                content = b"".join(chunks)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            # the host itself cannot be resolved or reached: no URL of it would fare better
            error = RetryableHttpError(shown, None, reason=f"{type(exc).__name__}: {exc}")
            error.host_level = True
            raise error from exc
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            raise RetryableHttpError(shown, None, reason=f"{type(exc).__name__}: {exc}") from exc
        except httpx.ProxyError as exc:
            raise RetryableHttpError(shown, None, reason=f"ProxyError: {exc}") from exc
        except httpx.DecodingError as exc:  # e.g. a gzip stream cut short
            raise RetryableHttpError(shown, None, reason=f"undecodable body: {exc}") from exc
        except httpx.HTTPError as exc:
            raise HttpError(shown, None, reason=f"{type(exc).__name__}: {exc}") from exc

        status = raw.status_code
        fetched = FetchedResponse(
            url=redact_url(raw.url),
            status=status,
            headers={k.lower(): v for k, v in raw.headers.items()},
            content=content,
            fetched_at=datetime.now(UTC),
        )
        excerpt = _excerpt(content)
        if status == 429:
            raise RateLimitedError(
                fetched.url,
                status,
                excerpt,
                reason="rate limited",
                retry_after=parse_retry_after(raw.headers.get("retry-after")),
            )
        if status >= 500 or status == 408:
            raise RetryableHttpError(
                fetched.url,
                status,
                excerpt,
                reason="server error",
                retry_after=parse_retry_after(raw.headers.get("retry-after")),
            )
        if status >= 400:
            raise HttpError(fetched.url, status, excerpt, reason="client error")
        if status >= 300:
            raise HttpError(fetched.url, status, excerpt, reason="unfollowed redirect")
        declared = raw.headers.get("content-length")
        encoding = raw.headers.get("content-encoding", "identity").strip().lower()
        # Content-Length counts bytes on the wire: compare with the decoded body only when the
        # body was not compressed; otherwise with the raw byte count of a streamed response.
        received = len(content) if encoding == "identity" else raw.num_bytes_downloaded
        checkable = encoding == "identity" or received > 0
        if declared is not None and declared.strip().isdigit() and checkable:
            if received != int(declared):
                raise RetryableHttpError(
                    fetched.url,
                    status,
                    excerpt,
                    reason=f"truncated body: got {received} of {declared} declared bytes",
                )
        if is_error_body is not None:
            message = is_error_body(fetched)
            if message:
                raise RetryableHttpError(fetched.url, status, excerpt, reason=message)
        return fetched

    # -- per-host retry budget -----------------------------------------------------------------

    def _budget_left(self, host: str) -> float:
        """Seconds this host may still fail: the whole budget unless it is failing now."""
        with self._hosts_lock:
            since = self._failing_since.get(host)
        if since is None:
            return self.retry_budget_s
        return self.retry_budget_s - (time.monotonic() - since)

    def _host_ok(self, host: str) -> None:
        with self._hosts_lock:
            self._failing_since.pop(host, None)

    def _give_up_if_spent(self, host: str, exc: RetryableHttpError, attempts: int) -> None:
        """Raise :class:`HostUnreachableError` when the host's budget is spent (later requests
        to it then fail at once) or the host could not be reached at all; otherwise return and
        the URL's own :class:`HttpError` is raised."""
        spent = attempts < self.max_attempts or self._budget_left(host) <= 0
        if not spent and not exc.host_level:
            return  # out of attempts for this URL, not of budget for the host
        with self._hosts_lock:
            since = self._failing_since.get(host, time.monotonic())
        error = HostUnreachableError(
            host,
            exc.reason or (f"HTTP {exc.status}" if exc.status else "no response"),
            attempts=attempts,
            elapsed=time.monotonic() - since,
            budget=self.retry_budget_s,
            spent=spent,
        )
        if spent:
            with self._hosts_lock:
                self._unreachable[host] = error
        log.error("%s", error)
        raise error from exc

    # -- tenacity hooks ------------------------------------------------------------------------

    def _wait(self, state: RetryCallState) -> float:
        """Retry-After when the server sent one (capped at backoff_max), else exp. backoff."""
        exc = state.outcome.exception() if state.outcome is not None else None
        if isinstance(exc, HttpError) and exc.retry_after is not None:
            return min(exc.retry_after, self.backoff_max)
        backoff = wait_exponential_jitter(
            multiplier=self.backoff_initial, max=self.backoff_max, jitter=self.backoff_initial
        )
        return backoff(state)

    def _log_retry(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome is not None else None
        wait = state.next_action.sleep if state.next_action is not None else 0.0
        log.warning(
            "attempt %d/%d failed (%s); retrying in %.2fs",
            state.attempt_number,
            self.max_attempts,
            exc,
            wait,
        )

    # -- lifecycle -----------------------------------------------------------------------------

    def close(self) -> None:
        with self._close_lock:
            if self._closed:
                return
            self._closed = True
        self._client.close()
        self._limiter.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
