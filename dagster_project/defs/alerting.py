"""Alerts for unattended runs: a run-failure sensor, on by default.

When any run of this code location fails (the nightly schedule's, a sensor's, one launched
from the UI or by ``make run``), the sensor records one alert: a log line on the daemon's
``minerpivot.alerts`` logger and, when ``MINERPIVOT_ALERT_WEBHOOK_URL`` is set, a JSON POST to
that URL (``dagster_project/alerts.py``). The message is the run's first cause, as ``make run``
prints it.
"""

import dagster as dg

from dagster_project.alerts import record_alert
from dagster_project.run_outcome import failure_line


def alert_message(context: dg.RunFailureSensorContext) -> str:
    """``run <id> (<job>) FAILED: <first cause>``."""
    run = context.dagster_run
    return f"run {run.run_id} ({run.job_name}) {failure_line(context.instance, run.run_id)}"


@dg.run_failure_sensor(
    name="alert_on_run_failure",
    default_status=dg.DefaultSensorStatus.RUNNING,
    monitor_all_code_locations=False,
    description=(
        "Records an alert (log line + optional webhook MINERPIVOT_ALERT_WEBHOOK_URL) with the "
        "first cause of every failed run of this code location."
    ),
)
def alert_on_run_failure(context: dg.RunFailureSensorContext) -> None:
    record_alert("run_failure", alert_message(context))
