"""Publish the build warehouse for analysts, then show what was published.

Runs after every dbt model and test succeeded. Publish gates (``publish_gates.py``) compare the
build with the published file first: an empty or truncated feed, an empty mart, or a mart that
would lose rows or miners fails the run with one line naming what is missing, and the
published file stays as it was. Once the new file is in place, the marts' previews (latest
period per miner) and charts are drawn from it: on this asset, and as an observation on each
mart, so the mart's page in the UI shows what analysts now read.
"""

import base64
from typing import Any

import dagster as dg
import duckdb

from dagster_project.defs.dbt import minerpivot_dbt_assets
from dagster_project.defs.resources import PipelineSettings
from dagster_project.publish_gates import DEFAULT_MAX_SHRINK, gate_problems
from dagster_project.sources.market_feeds import FEEDS
from dagster_project.warehouse import PatchMismatchError, connect, publish, publish_patched

#: Charts drawn from the published file: metadata label -> (mart, renderer in reports.charts).
CHARTS = {
    "per_mw_economics_chart": ("per_mw_economics", "render_economics_chart"),
    "hpc_revenue_share_chart": ("hpc_revenue_share", "render_hpc_share_chart"),
    "mining_vs_hpc_scenarios_chart": ("mining_vs_hpc_scenarios", "render_scenarios_chart"),
}


class PublishConfig(dg.Config):
    """Run config of the publish step (launchpad, or ``make run ARGS=--allow-shrink``)."""

    allow_shrink: bool = False
    """Publish even if a mart loses rows or miners, or a feed covers fewer days than before."""
    max_shrink_share: float = DEFAULT_MAX_SHRINK
    """Largest share of a mart's rows that may disappear without ``allow_shrink``."""
    patch_tables: dict[str, str] = {}
    """Set by the nightly job: the tables its run writes (``schema.table`` -> date column, or
    "" for a whole table). The publish then copies the published file and brings only these
    up to date from the build (the last 93 days of a dated table) instead of rewriting every
    table; it falls back to a full compact copy if a table does not match the build. Empty
    (default): a full compact copy."""


def _expected_feed_files(settings: Any) -> dict[str, str]:
    if settings.mode == "live":
        return {f.table: f"live {f.live_loader}" for f in FEEDS}
    return {
        f.table: ", ".join(str(settings.snapshot_dir / s.relative_path) for s in f.snapshot_files)
        for f in FEEDS
    }


def _png_md(label: str, png: bytes) -> dg.MetadataValue:
    encoded = base64.b64encode(png).decode("ascii")
    return dg.MetadataValue.md(f"![{label}](data:image/png;base64,{encoded})")


PUBLISHED_KEY = dg.AssetKey(["warehouse", "published"])


def _built_since_last_publish(
    context: dg.AssetExecutionContext, patch_tables: dict[str, str]
) -> list[str]:
    """dbt models outside ``patch_tables`` materialized after the last publish (or all of
    them when nothing was published yet): a full build whose publish failed or never ran. A
    patch would then leave its other tables (and rows older than the window) unpublished, so
    the publish writes a full copy."""
    last = context.instance.get_latest_materialization_event(PUBLISHED_KEY)
    stale = []
    for key in sorted(minerpivot_dbt_assets.keys, key=lambda k: k.path):
        if ".".join(key.path) in patch_tables:
            continue
        event = context.instance.get_latest_materialization_event(key)
        if event is not None and (last is None or event.timestamp > last.timestamp):
            stale.append(key.to_user_string())
    return stale


@dg.asset(
    key=PUBLISHED_KEY,
    group_name="publish",
    deps=list(minerpivot_dbt_assets.keys),
    kinds={"duckdb"},
    tags={"minerpivot/writer": "warehouse"},
    automation_condition=dg.AutomationCondition.eager(),
    description=(
        "Checks the build against the published warehouse (publish gates), then atomically "
        "replaces data/warehouse/minerpivot.duckdb, the read-only file analysts query. Runs "
        "only after every model and test succeeded; a failed gate or run leaves the published "
        "file as it was. Shows the marts' latest rows and the charts from the new file."
    ),
)
def published_warehouse(
    context: dg.AssetExecutionContext, config: PublishConfig, pipeline: PipelineSettings
) -> dg.MaterializeResult:
    settings = pipeline.settings()
    problems = gate_problems(
        settings.build_db,
        settings.published_db,
        allow_shrink=config.allow_shrink,
        max_shrink=config.max_shrink_share,
        expected_feed_files=_expected_feed_files(settings),
    )
    if problems:
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        raise dg.Failure(
            description=f"publish gate: {problems[0]}{more}; {settings.published_db} unchanged",
            metadata={"problems": dg.MetadataValue.md("\n".join(f"- {p}" for p in problems))},
            allow_retries=False,
        )
    mode = "full compact copy"
    result = None
    stale = _built_since_last_publish(context, config.patch_tables) if config.patch_tables else []
    if stale:
        context.log.info(
            "not patching: %d other model(s) built since the last publish (e.g. %s)",
            len(stale),
            stale[0],
        )
    elif config.patch_tables and settings.published_db.is_file():
        try:
            result = publish_patched(settings.build_db, settings.published_db, config.patch_tables)
            mode = f"patched copy ({len(config.patch_tables)} tables)"
        except (PatchMismatchError, duckdb.Error) as exc:
            context.log.warning("patched publish not possible (%s); writing a full copy", exc)
    if result is None:
        result = publish(settings.build_db, settings.published_db)
    context.log.info("published %s: %s", result.path, mode)
    from dagster_project.reports import charts
    from dagster_project.reports.previews import latest_preview

    metadata: dict[str, Any] = {
        "path": dg.MetadataValue.path(str(result.path)),
        "bytes": dg.MetadataValue.int(result.bytes),
        "tables": dg.MetadataValue.int(len(result.tables)),
        "publish_mode": dg.MetadataValue.text(mode),
    }
    with connect(result.path, read_only=True) as con:
        marts = [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
            ).fetchall()
        ]
        counts = {m: con.execute(f'select count(*) from marts."{m}"').fetchone()[0] for m in marts}
        previews = {m: latest_preview(con, m) for m in marts}
        pictures = {
            label: _png_md(label, getattr(charts, renderer)(con))
            for label, (_, renderer) in CHARTS.items()
        }
    for mart in marts:
        observed: dict[str, Any] = {
            "dagster/row_count": dg.MetadataValue.int(int(counts[mart])),
            "latest_per_miner": dg.MetadataValue.md(previews[mart]),
            "published_file": dg.MetadataValue.path(str(result.path)),
        }
        observed |= {k: v for k, v in pictures.items() if CHARTS[k][0] == mart}
        context.log_event(dg.AssetObservation(asset_key=["marts", mart], metadata=observed))
    context.log.info("published %s: %s", result.path, counts)
    metadata["mart_row_counts"] = dg.MetadataValue.json(counts)
    metadata |= pictures
    return dg.MaterializeResult(metadata=metadata)
