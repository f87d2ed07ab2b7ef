"""A live pinn-server for the tests: started on a free port with a temporary store, restartable on the same port
and store (the kill -9 test), stopped at the end.

The binary is ``$PINN_SERVER_BINARY`` (scripts/python-client-test.sh sets it), else the repository's
``.build/release/pinn-server``.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterator, List, Optional

import pytest
import requests

from pinn_client import Client

REPOSITORY = Path(__file__).resolve().parents[3]


class Server:
    """One pinn-server process at a time on a fixed port and store."""

    def __init__(self, binary: str, directory: Path) -> None:
        self.binary = binary
        self.directory = directory
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: Optional[subprocess.Popen] = None
        self.log = directory / "server.log"

    def command(self) -> List[str]:
        # Checkpoints every 0.3 s so a killed job loses little, and short leases so that a restarted server takes
        # back the jobs the killed one held within 2 s; the rate limit off (the tests call in bursts).
        return [self.binary, "--port", str(self.port), "--store-path", str(self.directory / "pinn.sqlite"),
                "--checkpoint-seconds", "0.3", "--lease-seconds", "2", "--heartbeat-seconds", "0.5",
                "--rate-limit-per-second", "0", "--workers", "2", "--cores-per-job", "1"]

    def start(self) -> None:
        with open(self.log, "ab") as log:
            # In the temporary directory, so no config/server.json is read; without the caller's PINN_* settings.
            environment = {k: v for k, v in os.environ.items() if not k.startswith("PINN_")}
            self.process = subprocess.Popen(self.command(), stdout=log, stderr=log, env=environment,
                                            cwd=self.directory)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pinn-server exited at start:\n{self.log.read_text()[-2000:]}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"pinn-server did not answer /healthz within 30 s:\n{self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL: no checkpoint, no goodbye."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    binary = os.environ.get("PINN_SERVER_BINARY") or str(REPOSITORY / ".build/release/pinn-server")
    if not os.access(binary, os.X_OK):
        pytest.exit(f"no pinn-server at {binary}: build it (swift build -c release --product pinn-server) "
                    "or set PINN_SERVER_BINARY", returncode=2)
    with tempfile.TemporaryDirectory(prefix="pinn-pyclient-") as directory:
        process = Server(binary, Path(directory))
        process.start()
        try:
            yield process
        finally:
            process.stop()


@pytest.fixture
def client(server: Server) -> Client:
    if server.process is None or server.process.poll() is not None:
        server.start()   # a test that killed it and failed before restarting
    return Client(server.url)
