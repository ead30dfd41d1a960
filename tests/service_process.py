"""A server process that a test owns: started on a free port of 127.0.0.1, ready once it
answers, stopped by its own PID. RedisServer, KafkaBroker and MongoServer are ones."""

from __future__ import annotations

import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import ClassVar, Self


START_TIMEOUT = 15.0
STOP_TIMEOUT = 15.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServiceProcess:
    """One server process: ``command()`` starts it (its output goes to ``log_path``),
    ``answers()`` says it is ready. A stopped one may be started again on the same port."""

    name: ClassVar[str]  # in errors: "redis-server did not answer ..."

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self._workdir = tempfile.TemporaryDirectory(prefix=f"{self.name}-")
        self.workdir = Path(self._workdir.name)
        self.log_path = self.workdir / f"{self.name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    def answers(self) -> bool:
        raise NotImplementedError

    def start(self) -> Self:
        if self.process is not None:
            raise RuntimeError(f"{self.name} is already running")
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir)
        deadline = time.monotonic() + START_TIMEOUT
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                tail = self.log_path.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"{self.name} did not answer on port {self.port}:\n{tail}")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        """SIGTERM this server's own PID and wait for it to exit (SIGKILL if it hangs)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGCONT)  # a paused server cannot act on SIGTERM
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def close(self) -> None:
        self.stop()
        self._workdir.cleanup()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()
