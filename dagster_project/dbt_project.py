"""The dbt project handle, alone in its module so ``dagster-dbt project`` commands can import it.

The manifest is prepared by ``dagster-dbt project prepare-and-package --file
dagster_project/dbt_project.py`` (the Makefile's ``manifest`` target, run by every make target
that needs it) and by ``prepare_if_dev()`` under ``dagster dev``; importing the definitions never
runs dbt.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from dagster_project.settings import REPO_ROOT, load_settings, point_dbt_at_build_db

DBT_DIR = REPO_ROOT / "dbt"

# dbt-duckdb names the catalog after the database file's stem and dbt re-parses everything when
# the profile changes, so parsing and building must see the same build file.
point_dbt_at_build_db(load_settings())

# DBT_TARGET_PATH (dbt's own variable) lets a second checkout or a helper parse elsewhere.
dbt_project = DbtProject(
    project_dir=DBT_DIR,
    profiles_dir=DBT_DIR,
    target_path=os.environ.get("DBT_TARGET_PATH", "target"),
)
dbt_project.prepare_if_dev()


def dbt_executable() -> str:
    """The dbt installed in this Python's environment (the venv), else whatever is on PATH."""
    for folder in (Path(sys.executable).parent, Path(sys.prefix) / "bin"):
        if (folder / "dbt").exists():
            return str(folder / "dbt")
    return shutil.which("dbt") or "dbt"
