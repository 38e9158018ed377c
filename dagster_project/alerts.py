"""Alerts for unattended runs: one log line, plus an optional webhook.

Plain Python (no Dagster import), so sensors, the run command and tests share it. An alert is
written as one ERROR line on the ``minerpivot.alerts`` logger (the daemon's log, or the
terminal) and, when ``MINERPIVOT_ALERT_WEBHOOK_URL`` is set, POSTed as JSON
(``{"source": ..., "message": ..., "at": ...}``) to that URL. A webhook that cannot be reached
never raises: the log line is the record, and the failure to deliver is logged beside it.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime

import httpx

log = logging.getLogger("minerpivot.alerts")

WEBHOOK_ENV = "MINERPIVOT_ALERT_WEBHOOK_URL"
WEBHOOK_TIMEOUT_S = 10.0


def alert_payload(source: str, message: str, at: datetime | None = None) -> dict[str, str]:
    """The JSON body of an alert (also what the log line carries)."""
    moment = (at or datetime.now(UTC)).isoformat(timespec="seconds")
    return {"source": source, "message": message, "at": moment}


def record_alert(source: str, message: str, webhook_url: str | None = None) -> bool:
    """Log one alert line and POST it to the webhook, if any. True when delivered or logged only.

    ``source`` says what raised it (e.g. ``run_failure``, ``freshness``); ``message`` is the
    one-line reason. ``webhook_url`` defaults to ``$MINERPIVOT_ALERT_WEBHOOK_URL``.
    """
    payload = alert_payload(source, message)
    log.error("ALERT [%s] %s", source, message)
    url = webhook_url if webhook_url is not None else os.environ.get(WEBHOOK_ENV, "").strip()
    if not url:
        return True
    try:
        response = httpx.post(
            url,
            content=json.dumps(payload),
            headers={"content-type": "application/json"},
            timeout=WEBHOOK_TIMEOUT_S,
        )
        response.raise_for_status()
    except httpx.HTTPError as exc:
        log.error("ALERT webhook %s not delivered: %s", url, exc)
        return False
    return True
