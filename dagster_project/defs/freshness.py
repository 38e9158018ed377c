"""Freshness (issue 13): the EDGAR filing sensor, declarative automation, freshness checks and
their alerts. Thin wiring; the logic lives in ``sources/edgar_watch.py`` (poll and diff),
``sources/edgar_filing.py`` (per-filing ingest) and ``sources/freshness.py`` (feed ages).

Live mode only, except the automation sensor (marts follow their inputs in both modes):

* ``edgar_filings`` polls the tracked CIKs' submissions every ``MINERPIVOT_EDGAR_POLL_SECONDS``
  (default 300) and requests one ``ingest_filing`` run per new 8-K/6-K/10-Q/10-K (run key =
  accession): the filing's raw rows, the press documents/facts, the dbt models downstream of
  them (dagster-dbt passes ``--select`` for that subset) and the publish step;
* ``freshness_checks_hourly`` runs the market feeds' ``fresh`` checks every hour and
  ``freshness_checks_sensor`` (Dagster's) the filings' last-update check;
* ``freshness_alerts`` turns every newly failed freshness check into one alert
  (:func:`dagster_project.alerts.record_alert`, source ``freshness``).
"""

import datetime as dt
import json
import os

import dagster as dg

from dagster_project.alerts import record_alert
from dagster_project.instance import WRITER_TAG
from dagster_project.settings import load_settings
from dagster_project.sources.edgar import make_edgar_client
from dagster_project.sources.edgar_harvest import T_FILINGS, TABLES
from dagster_project.sources.edgar_watch import (
    dump_cursor,
    filing_tags,
    load_cursor,
    poll,
    tracked_miners,
)
from dagster_project.sources.freshness import FEED_CADENCE, feed_freshness

POLL_SECONDS_ENV = "MINERPIVOT_EDGAR_POLL_SECONDS"
DEFAULT_POLL_SECONDS = 300
#: raw.sec_filings is rewritten by the 02:00 crawl (and by every filing run): a day plus slack.
FILINGS_MAX_AGE = dt.timedelta(hours=26)

SEC_KEYS = [dg.AssetKey(["raw", t]) for t in TABLES]
FRESH_CHECK = "fresh"


def poll_seconds() -> int:
    """The EDGAR poll interval (``MINERPIVOT_EDGAR_POLL_SECONDS``, default 300, at least 60)."""
    raw = os.environ.get(POLL_SECONDS_ENV, "").strip()
    if not raw:
        return DEFAULT_POLL_SECONDS
    if not raw.isdigit() or int(raw) < 60:
        raise ValueError(f"{POLL_SECONDS_ENV} must be a whole number of seconds ≥ 60, got {raw!r}")
    return int(raw)


# ====================================================================== filing sensor

#: The filing's ingest assets, everything built on them (press, dbt models) and publish.
ingest_filing_job = dg.define_asset_job(
    "ingest_filing",
    selection=dg.AssetSelection.assets(*SEC_KEYS).downstream(),
    description="One SEC filing (run config names its accession): land and parse it, extract "
    "press facts, rebuild the dbt models downstream of the raw SEC and press tables, publish.",
    tags=dict([WRITER_TAG]),  # queued behind any other run that writes the warehouse
)


def filing_run_config(accession: str, ticker: str) -> dict:
    """Run config of ``ingest_filing`` for one filing (also what a backfill passes)."""
    return {"ops": {"sec_edgar": {"config": {"accessions": [accession], "tickers": [ticker]}}}}


@dg.sensor(
    name="edgar_filings",
    job=ingest_filing_job,
    minimum_interval_seconds=poll_seconds(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Polls EDGAR submissions of the tracked miners (one request per CIK, shared "
    "fair-access client) and requests one ingest_filing run per new 8-K/6-K/10-Q/10-K. The "
    "cursor is {cik: last accession seen}; a CIK seen first is baselined, not backfilled.",
)
def edgar_filings_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    # The environment's settings, not the pipeline resource: that one holds the warehouse's
    # writer lock while in use, and a poll never touches the warehouse.
    settings = load_settings()
    miners = tracked_miners(settings.raw_dir / "reference" / "miners.csv")
    data_base, www_base = settings.sec_data_base, settings.sec_www_base
    # Polls are not landed (12 copies an hour of each submissions file would say nothing
    # new); the run lands the submissions it parses.
    with make_edgar_client(
        settings, data_base=data_base, www_base=www_base, land=False, max_attempts=2
    ) as client:
        result = poll(client, miners, load_cursor(context.cursor))
    for problem in result.problems:
        context.log.warning("EDGAR poll %s: %s", problem["ticker"], problem["error"])
    if result.baselined:
        context.log.info("baselined %s at their latest filing", ", ".join(result.baselined))
    requests = [
        dg.RunRequest(
            run_key=f.accession,
            run_config=filing_run_config(f.accession, f.ticker),
            tags=filing_tags(f),
        )
        for f in result.new
    ]
    context.log.info(
        "%d CIK(s) polled in %d request(s); %d new filing(s)",
        len(miners),
        result.requests,
        len(requests),
    )
    return dg.SensorResult(run_requests=requests, cursor=dump_cursor(result.cursor))


# ====================================================================== declarative automation

automation_sensor = dg.AutomationConditionSensorDefinition(
    "marts_follow_inputs",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    run_tags=dict([WRITER_TAG]),
    description="Evaluates the automation conditions (eager on dbt models and publish): a "
    "model is rebuilt when one of its inputs was updated, so marts follow their inputs "
    "without a full rebuild.",
)


# ====================================================================== freshness checks


def _feed_check(table: str) -> dg.AssetChecksDefinition:
    cadence = FEED_CADENCE[table]

    @dg.asset_check(
        asset=dg.AssetKey(["raw", table]),
        name=FRESH_CHECK,
        description=f"Newest row of raw.{table} in the published warehouse at most "
        f"{cadence.max_age_days} day(s) old ({cadence.why}; {cadence.every_days} d cadence + "
        f"{cadence.slack_days} d slack).",
    )
    def _check() -> dg.AssetCheckResult:
        # The published file (no writer lock needed: readers never block the build).
        verdict = feed_freshness(load_settings().published_db, table)
        return dg.AssetCheckResult(
            passed=verdict.fresh,
            severity=dg.AssetCheckSeverity.WARN,
            description=verdict.describe(),
            metadata={
                "last_observation": dg.MetadataValue.text(str(verdict.last_date)),
                "age_days": dg.MetadataValue.int(
                    -1 if verdict.age_days is None else verdict.age_days
                ),
                "max_age_days": dg.MetadataValue.int(verdict.max_age_days),
            },
        )

    return _check


feed_checks = [_feed_check(table) for table in FEED_CADENCE]
filings_checks = dg.build_last_update_freshness_checks(
    assets=[dg.AssetKey(["raw", T_FILINGS])], lower_bound_delta=FILINGS_MAX_AGE
)
FRESHNESS_CHECK_KEYS = [
    key for checks in (*feed_checks, *filings_checks) for key in checks.check_keys
]

feed_checks_job = dg.define_asset_job(
    "market_freshness_checks",
    selection=dg.AssetSelection.checks(*feed_checks),
    description="The market feeds' freshness checks (age of the newest row).",
)


@dg.sensor(
    name="freshness_checks_hourly",
    job=feed_checks_job,
    minimum_interval_seconds=3600,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Runs the market feeds' freshness checks once an hour.",
)
def feed_checks_sensor(context: dg.SensorEvaluationContext) -> dg.RunRequest:
    return dg.RunRequest()


filings_freshness_sensor = dg.build_sensor_for_freshness_checks(
    freshness_checks=filings_checks, default_status=dg.DefaultSensorStatus.RUNNING
)


@dg.sensor(
    name="freshness_alerts",
    minimum_interval_seconds=120,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="One alert (log line + optional webhook, MINERPIVOT_ALERT_WEBHOOK_URL) per newly "
    "failed freshness check evaluation, with the age the check measured.",
)
def freshness_alerts_sensor(context: dg.SensorEvaluationContext) -> dg.SkipReason:
    seen: dict[str, int] = json.loads(context.cursor) if context.cursor else {}
    alerted = []
    for key in FRESHNESS_CHECK_KEYS:
        record = context.instance.get_latest_asset_check_evaluation_record(key)
        name = key.to_user_string()
        if record is None or record.id <= seen.get(name, 0):
            continue
        seen[name] = record.id
        evaluation = record.evaluation
        if evaluation is not None and not evaluation.passed:
            record_alert("freshness", f"{name}: {evaluation.description or 'failed'}")
            alerted.append(name)
    context.update_cursor(json.dumps(seen, sort_keys=True))
    return dg.SkipReason(f"alerted on {alerted}" if alerted else "no new failed freshness check")


def freshness_checks(live: bool) -> list[dg.AssetChecksDefinition]:
    """Freshness checks of the code location (live only: offline data is a dated snapshot)."""
    return [*feed_checks, *filings_checks] if live else []


def freshness_sensors(live: bool) -> list[dg.SensorDefinition]:
    """Sensors of this module for the mode (the automation sensor in both)."""
    if not live:
        return [automation_sensor]
    return [
        edgar_filings_sensor,
        automation_sensor,
        feed_checks_sensor,
        filings_freshness_sensor,
        freshness_alerts_sensor,
    ]
