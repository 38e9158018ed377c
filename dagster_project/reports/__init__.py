"""Charts and an HTML summary of the economics marts (plain Python, no Dagster import).

The lead attaches :func:`render_economics_chart`, :func:`render_hpc_share_chart` and
:func:`preview_markdown` as asset metadata; ``python -m dagster_project.reports`` writes the same
charts plus ``index.html`` to ``data/reports/`` (or ``$MINERPIVOT_REPORTS_DIR``).
"""

from dagster_project.reports.charts import (
    preview_markdown,
    render_economics_chart,
    render_hpc_share_chart,
)
from dagster_project.reports.summary import reports_dir, write_report

__all__ = [
    "preview_markdown",
    "render_economics_chart",
    "render_hpc_share_chart",
    "reports_dir",
    "write_report",
]
