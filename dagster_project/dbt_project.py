"""The dbt project handle, alone in its module so ``dagster-dbt project`` commands can import it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from dagster_project.settings import REPO_ROOT, load_settings

DBT_DIR = REPO_ROOT / "dbt"

# dbt-duckdb names the catalog after the database file's stem and bakes it into the manifest,
# so parse and run must see the same path. Every build file is called build.duckdb.
os.environ.setdefault("MINERPIVOT_BUILD_DB", str(load_settings().build_db))

# DBT_TARGET_PATH (dbt's own variable) lets a second checkout or a helper parse elsewhere.
dbt_project = DbtProject(
    project_dir=DBT_DIR,
    profiles_dir=DBT_DIR,
    target_path=os.environ.get("DBT_TARGET_PATH", "target"),
)


def dbt_executable() -> str:
    """The dbt installed beside this Python (the venv), else whatever is on PATH."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def _newest_source_mtime() -> float:
    files = [DBT_DIR / "dbt_project.yml"]
    for folder in ("models", "macros", "seeds", "tests"):
        files.extend(p for p in (DBT_DIR / folder).rglob("*") if p.is_file())
    return max(p.stat().st_mtime for p in files if p.exists())


def ensure_manifest() -> Path:
    """Run ``dbt parse`` when the manifest is missing or older than the dbt sources.

    So every command works (not only ``dagster dev``) and never runs a stale graph.
    """
    manifest = dbt_project.manifest_path
    if not manifest.exists() or manifest.stat().st_mtime < _newest_source_mtime():
        subprocess.run(
            [
                dbt_executable(),
                "parse",
                "--quiet",
                "--project-dir",
                str(DBT_DIR),
                "--profiles-dir",
                str(DBT_DIR),
            ],
            check=True,
        )
    return dbt_project.manifest_path
