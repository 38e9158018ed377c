"""``make run``: materialize the whole graph (or a selection) as one run of ``build_warehouse``.

The run is recorded in ``$DAGSTER_HOME``'s instance like any other, so it shows in the UI that
``make dev`` serves, with the same assets, checks and metadata as a run launched there. Two
differences from ``dagster asset materialize``: it runs the named job (the one the nightly
schedule runs) instead of an implicit ``__ASSET_JOB``, and once the run is over, logs flushed
and the instance closed, the process ends with ``os._exit``: tearing down the ~3,000 modules
Dagster, dagster-dbt and dbt-core import takes over a second here and frees nothing that the
operating system would not free anyway (docs/performance.md).
"""

import argparse
import logging
import os
import sys

import dagster as dg

from dagster_project.definitions import build_warehouse_job, defs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dagster_project.run",
        description="Materialize every asset (or --select) and publish the warehouse.",
    )
    parser.add_argument(
        "--select",
        default=None,
        help="Dagster asset selection, e.g. 'key:\"raw/btc_price_daily\"+' (default: everything)",
    )
    parser.add_argument(
        "--partition", default=None, help="day to fetch in live mode, e.g. 2026-11-26"
    )
    args = parser.parse_args(argv)

    selection = None
    if args.select:
        graph = defs.resolve_asset_graph()
        selection = sorted(dg.AssetSelection.from_string(args.select).resolve(graph))
        if not selection:
            parser.error(f"--select {args.select!r} matches no asset")
    tags = {"dagster/partition": args.partition} if args.partition else None
    with dg.DagsterInstance.get() as instance:
        result = dg.execute_job(
            dg.reconstructable(build_warehouse_job),
            instance=instance,
            asset_selection=selection,
            tags=tags,
        )
        print(f"run {result.run_id}: {'success' if result.success else 'FAILED'}", flush=True)
    return 0 if result.success else 1


def _exit(code: int) -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


if __name__ == "__main__":
    _exit(main())
