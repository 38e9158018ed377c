"""Immutable, dated landing zone for raw HTTP responses (plain Python, no Dagster).

Every live response is written here unchanged *before* it is parsed, so a parser fix can be
replayed offline with :meth:`LandingZone.latest` and no network. Layout::

    <root>/<source>/<partition>/<name>__<YYYYmmddTHHMMSSffffffZ>.body       raw bytes
    <root>/<source>/<partition>/<name>__<YYYYmmddTHHMMSSffffffZ>.meta.json  url, status, headers,
                                                                            fetched_at, sha256

Files are never overwritten: each is written to a temporary file in the same directory and then
hard-linked to its final name (``os.link`` fails if the name exists). The ``.meta.json`` file is
written last, so a body without its meta (a crash mid-write) is ignored by :meth:`latest`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

_STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"
_SAFE_COMPONENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._=+-]*$")


class LandingZoneError(RuntimeError):
    """The landing zone refused a write or holds a damaged file; the message names the path."""


class LandedChecksumError(LandingZoneError):
    """A landed body no longer hashes to the sha256 its meta file recorded (damaged or edited)."""

    def __init__(self, body_path: Path, expected: str | None, actual: str) -> None:
        self.body_path = body_path
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"checksum mismatch for {body_path}: meta says {expected}, body hashes to {actual}"
        )


@dataclass(frozen=True)
class FetchedResponse:
    """One raw HTTP response as fetched (or as replayed from the landing zone).

    ``headers`` keys are lower-case; ``fetched_at`` is timezone-aware UTC.
    """

    url: str
    status: int
    headers: dict[str, str]
    content: bytes
    fetched_at: datetime

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def text(self, encoding: str = "utf-8") -> str:
        """Body decoded leniently (for error messages and text formats)."""
        return self.content.decode(encoding, errors="replace")


def _check_component(kind: str, value: str) -> str:
    if not _SAFE_COMPONENT.match(value) or ".." in value or (kind == "name" and "__" in value):
        raise LandingZoneError(
            f"landing {kind} {value!r} must be one path component of letters, digits and ._=+- "
            "(no '..', no '/', and names may not contain '__')"
        )
    return value


def _write_new(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data``; raise FileExistsError rather than replace it."""
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(tmp_name, path)  # atomic, and fails if `path` already exists
    finally:
        os.unlink(tmp_name)


class LandingZone:
    """Write-once store of raw responses under ``root`` (e.g. ``settings.landing_dir``)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def directory(self, source: str, partition: str) -> Path:
        return (
            self.root
            / _check_component("source", source)
            / _check_component("partition", partition)
        )

    def write(self, source: str, partition: str, name: str, response: FetchedResponse) -> Path:
        """Store ``response``; return the path of the ``.body`` file.

        Raises :class:`LandingZoneError` if a file with the same name and timestamp already exists
        with different content (an identical re-write is a no-op and returns the existing path).
        """
        _check_component("name", name)
        if response.fetched_at.tzinfo is None:
            raise LandingZoneError(f"fetched_at for {response.url} must be timezone-aware UTC")
        directory = self.directory(source, partition)
        directory.mkdir(parents=True, exist_ok=True)
        stamp = response.fetched_at.astimezone(UTC).strftime(_STAMP_FORMAT)
        body_path = directory / f"{name}__{stamp}.body"
        meta_path = directory / f"{name}__{stamp}.meta.json"
        meta = {
            "url": response.url,
            "status": response.status,
            "headers": dict(sorted(response.headers.items())),
            "fetched_at": response.fetched_at.astimezone(UTC).isoformat(),
            "sha256": response.sha256,
            "size": len(response.content),
        }
        meta_bytes = (json.dumps(meta, indent=2, sort_keys=True) + "\n").encode()
        for path, data in ((body_path, response.content), (meta_path, meta_bytes)):
            try:
                _write_new(path, data)
            except FileExistsError:
                if path.read_bytes() != data:
                    raise LandingZoneError(
                        f"refusing to overwrite {path}: it exists with different content"
                    ) from None
        return body_path

    def list(self, source: str, partition: str, name: str) -> list[Path]:
        """Complete landed responses (``.meta.json`` paths), oldest first."""
        _check_component("name", name)
        directory = self.directory(source, partition)
        if not directory.is_dir():
            return []
        return sorted(directory.glob(f"{name}__*.meta.json"))

    def read(self, meta_path: Path) -> FetchedResponse:
        """Load one landed response from its ``.meta.json`` path, verifying the checksum."""
        meta_path = Path(meta_path)
        body_path = meta_path.with_name(meta_path.name.removesuffix(".meta.json") + ".body")
        try:
            meta = json.loads(meta_path.read_text())
            content = body_path.read_bytes()
            fetched_at = datetime.fromisoformat(meta["fetched_at"])
            response = FetchedResponse(
                url=str(meta["url"]),
                status=int(meta["status"]),
                headers={str(k): str(v) for k, v in meta["headers"].items()},
                content=content,
                fetched_at=fetched_at,
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise LandingZoneError(f"cannot read landed response {meta_path}: {exc}") from exc
        if response.sha256 != meta.get("sha256"):
            raise LandedChecksumError(body_path, meta.get("sha256"), response.sha256)
        return response

    def latest(self, source: str, partition: str, name: str) -> FetchedResponse | None:
        """Most recent landed response for this key, or None if nothing has landed yet."""
        paths = self.list(source, partition, name)
        return self.read(paths[-1]) if paths else None
