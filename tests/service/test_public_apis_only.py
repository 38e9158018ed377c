"""The upgrade-proofing rule: no private Dagster/dagster-dbt imports, no private method
overrides, no os._exit in the code location."""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import pkgutil
from pathlib import Path

import dagster_project
from dagster_project.settings import REPO_ROOT

PACKAGE = REPO_ROOT / "dagster_project"
FRAMEWORKS = ("dagster", "dagster_dbt", "dbt", "duckdb")


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_check_would_catch_last_sessions_overrides():
    """The dbt resource subclass of the last session overrode two private methods."""
    from dagster_dbt import DbtCliResource

    assert hasattr(DbtCliResource, "_cli_version")
    assert hasattr(DbtCliResource, "_initialize_dbt_core_adapter")


def test_no_private_framework_imports_or_attributes():
    offenders = []
    for path in _sources():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if parts[0] in FRAMEWORKS and any(p.startswith("_") for p in parts[1:]):
                    offenders.append(f"{path.name}:{node.lineno} from {node.module}")
            if isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    if parts[0] in FRAMEWORKS and any(p.startswith("_") for p in parts[1:]):
                        offenders.append(f"{path.name}:{node.lineno} import {alias.name}")
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name)
                and node.value.id in ("dg", "dagster", "dagster_dbt", "os", "duckdb")
            ):
                offenders.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
    assert offenders == []


def test_no_private_methods_overridden_on_framework_classes():
    overridden = []
    for module in pkgutil.walk_packages(dagster_project.__path__, "dagster_project."):
        if module.name.endswith("__main__"):
            continue
        mod = importlib.import_module(module.name)
        for _, cls in inspect.getmembers(mod, inspect.isclass):
            if cls.__module__ != mod.__name__:
                continue
            framework_bases = [
                b for b in cls.__mro__[1:] if b.__module__.split(".")[0] in FRAMEWORKS
            ]
            if not framework_bases:
                continue
            for name, value in vars(cls).items():
                is_method = inspect.isfunction(value) or isinstance(
                    value, property | functools.cached_property | classmethod | staticmethod
                )
                if is_method and name.startswith("_") and not name.startswith("__"):
                    if any(hasattr(b, name) for b in framework_bases):
                        overridden.append(f"{cls.__qualname__}.{name}")
    assert overridden == []
