"""Every documented dbt model column states its type (`data_type`, which dagster-dbt shows as
the column type in the UI), and the type is the one DuckDB actually built."""

from __future__ import annotations

import json

import duckdb

from dagster_project.dbt_project import dbt_project


def test_documented_columns_carry_the_built_type(pipeline_run):
    manifest = json.loads(dbt_project.manifest_path.read_text())
    with duckdb.connect(
        str(pipeline_run.warehouse_dir / "minerpivot.duckdb"), read_only=True
    ) as con:
        built = {
            (s, t, c): d.lower()
            for s, t, c, d in con.execute(
                "select schema_name, table_name, column_name, data_type from duckdb_columns()"
            ).fetchall()
        }
    missing, wrong = [], []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model":
            continue
        schema = node["config"].get("schema") or node["schema"]
        for name, column in node["columns"].items():
            actual = built.get((schema, node["alias"], name))
            if actual is None:
                continue  # documented but not built: other tests catch that
            if not column.get("data_type"):
                missing.append(f"{schema}.{node['alias']}.{name}")
            elif column["data_type"].lower() != actual:
                wrong.append(f"{schema}.{node['alias']}.{name}: {column['data_type']} != {actual}")
    assert missing == [] and wrong == [], (missing[:10], wrong[:10])
