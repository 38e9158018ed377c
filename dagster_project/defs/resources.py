"""Resources: the settings and the build warehouse, configurable per run and in tests."""

from pathlib import Path

import dagster as dg

from dagster_project.settings import Settings, load_settings


class PipelineSettings(dg.ConfigurableResource):
    """Where the pipeline reads and writes. Defaults come from the environment (README)."""

    mode: str = "offline"
    snapshot_dir: str = ""
    raw_dir: str = ""
    warehouse_dir: str = ""
    context_dir: str = ""

    @classmethod
    def from_env(cls) -> "PipelineSettings":
        s = load_settings()
        return cls(
            mode=s.mode,
            snapshot_dir=str(s.snapshot_dir),
            raw_dir=str(s.raw_dir),
            warehouse_dir=str(s.warehouse_dir),
            context_dir=str(s.context_dir),
        )

    def settings(self) -> Settings:
        """The typed settings, with this resource's paths overriding the environment."""
        base = load_settings()
        return Settings(
            mode=self.mode,  # type: ignore[arg-type]
            snapshot_dir=Path(self.snapshot_dir) if self.snapshot_dir else base.snapshot_dir,
            raw_dir=Path(self.raw_dir) if self.raw_dir else base.raw_dir,
            warehouse_dir=Path(self.warehouse_dir) if self.warehouse_dir else base.warehouse_dir,
            context_dir=Path(self.context_dir) if self.context_dir else base.context_dir,
            sec_user_agent=base.sec_user_agent,
            http_user_agent=base.http_user_agent,
            cryptocompare_api_key=base.cryptocompare_api_key,
        )
