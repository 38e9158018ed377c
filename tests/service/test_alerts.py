"""The alert helper logs one line and posts JSON to a webhook (served locally)."""

import json
import logging

from pytest_httpserver import HTTPServer

from dagster_project.alerts import record_alert


def test_alert_logs_and_posts(httpserver: HTTPServer, caplog) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    with caplog.at_level(logging.ERROR, logger="minerpivot.alerts"):
        assert record_alert("run_failure", "run abc FAILED", httpserver.url_for("/hook"))
    assert "ALERT [run_failure] run abc FAILED" in caplog.text
    ((request, _),) = httpserver.log
    body = json.loads(request.get_data())
    assert body["source"] == "run_failure" and body["message"] == "run abc FAILED"


def test_unreachable_webhook_never_raises(caplog) -> None:
    with caplog.at_level(logging.ERROR, logger="minerpivot.alerts"):
        assert not record_alert("freshness", "btc price 3 days old", "http://127.0.0.1:9/hook")
    assert "not delivered" in caplog.text
