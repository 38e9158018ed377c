"""``make up``'s code server: started once and reused, refused on a port another program holds."""

from __future__ import annotations

import socket

import pytest

from dagster_project.processes import pid_alive, stop_group
from dagster_project.service import ServicePaths, start_code_server, wait_for_port


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_port_held_by_another_program_is_refused_before_anything_starts(tmp_path):
    paths = ServicePaths(tmp_path / "service")
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        with pytest.raises(SystemExit, match=f"port {port} is already taken"):
            start_code_server(paths, port)
    assert not (paths.pids / "dagster-code-server.pid").exists()


@pytest.mark.slow
def test_the_code_server_listens_and_a_second_up_keeps_it(tmp_path):
    paths = ServicePaths(tmp_path / "service")
    port = _free_port()
    pid = start_code_server(paths, port)
    try:
        assert pid_alive(pid) and wait_for_port(port, 1)
        assert (paths.pids / "dagster-code-server.pid").read_text() == str(pid)
        # `make up` twice: the running server is kept, not refused as a stranger on its port.
        assert start_code_server(paths, port) == pid
    finally:
        stop_group(pid, grace=15.0)
    assert not pid_alive(pid)
