"""LiveStatus: a status line updated in place in a terminal; never in a pod, a pipe or a file."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import threading
from pathlib import Path

from ascrapy.extensions.statusline import CLEAR_LINE, render_status, watched_terminal
from ascrapy.utils.crawl_load import CrawlLoad
from tests.process_helpers import WAIT, HeldSite, ascrapy_command, child_env

SPIDER = """
import ascrapy


class Held(ascrapy.Spider):
    name = "held"

    def __init__(self, base, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [base + "/"]

    def parse(self, response):
        yield {"url": response.url}
        yield from response.follow_all(css="a")
"""


class _Terminal:
    """A pseudo-terminal for a child's stderr; what the child writes is collected in a thread."""

    def __init__(self) -> None:
        self.master, self.slave = pty.openpty()
        self._chunks: list[bytes] = []
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._read, daemon=True)

    def start(self) -> None:
        os.close(self.slave)
        self._thread.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:  # EIO: the child closed its side
                data = b""
            with self._changed:
                if not data:
                    self._chunks.append(b"")
                    self._changed.notify_all()
                    return
                self._chunks.append(data)
                self._changed.notify_all()

    def text(self) -> str:
        with self._changed:
            return b"".join(self._chunks).decode("utf-8", "replace")

    def wait_for(self, needle: str) -> None:
        with self._changed:
            ok = self._changed.wait_for(
                lambda: needle in b"".join(self._chunks).decode("utf-8", "replace") or b"" in self._chunks,
                timeout=WAIT,
            )
        assert ok and needle in self.text(), f"{needle!r} never written:\n{self.text()[-2000:]}"

    def close(self) -> None:
        self._thread.join(WAIT)
        os.close(self.master)


def shown_lines(raw: str) -> list[str]:
    """What a terminal shows of ``raw``: per line, what was written after its last return."""
    return [line.rstrip("\r").rsplit("\r", 1)[-1].replace("\x1b[K", "") for line in raw.split("\n")]


def crawl_on_terminal(tmp_path: Path, *args: str, **env: str) -> tuple[int, str]:
    """Crawl a held site with stderr on a pseudo-terminal; the pages are let go once a status
    line showing them in flight was drawn (or at once when none is expected)."""
    (tmp_path / "held.py").write_text(SPIDER)
    child = child_env(**env)
    if "KUBERNETES_SERVICE_HOST" not in env:  # these tests may themselves run in a pod
        child.pop("KUBERNETES_SERVICE_HOST", None)
    terminal = _Terminal()
    site = HeldSite(count=2)
    with site.serve() as base:
        process = subprocess.Popen(
            ascrapy_command("runspider", "held.py", "-a", f"base={base}", "-L", "INFO",
                            "-s", "LIVE_STATUS_INTERVAL=0.05", *args),
            cwd=tmp_path, env=child, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=terminal.slave,
        )
        terminal.start()
        try:
            assert site.arrived.wait(WAIT)
            if "KUBERNETES_SERVICE_HOST" not in env and "LIVE_STATUS_ENABLED=False" not in args:
                terminal.wait_for("2 in flight")
            site.release()
            code = process.wait(WAIT)
        finally:
            if process.poll() is None:
                process.kill()
        terminal.close()
    return code, terminal.text()


def test_the_line_is_drawn_in_place_and_log_lines_stay_whole(tmp_path: Path) -> None:
    code, raw = crawl_on_terminal(tmp_path, TERM="xterm")
    assert code == 0, raw[-3000:]
    assert CLEAR_LINE + "ascrapy | 1 pages (" in raw
    assert "| 0 queued | 2 in flight | 0 errors | 0:00:0" in raw
    lines = shown_lines(raw)
    assert any("Spider closed (finished)" in line for line in lines)
    log_lines = [line for line in lines if " [scrapy." in line]
    assert log_lines and not [line for line in log_lines if "ascrapy |" in line]
    assert not [line for line in lines if line.startswith("ascrapy |")]  # erased when the crawl closed


def test_never_in_a_pod(tmp_path: Path) -> None:
    code, raw = crawl_on_terminal(tmp_path, TERM="xterm", KUBERNETES_SERVICE_HOST="10.0.0.1")
    assert code == 0
    assert "Spider closed (finished)" in raw and "ascrapy |" not in raw and "\x1b[K" not in raw


def test_off_when_disabled(tmp_path: Path) -> None:
    code, raw = crawl_on_terminal(tmp_path, "-s", "LIVE_STATUS_ENABLED=False", TERM="xterm")
    assert code == 0 and "ascrapy |" not in raw


def test_never_in_a_pipe_or_a_log_file(tmp_path: Path) -> None:
    (tmp_path / "held.py").write_text(SPIDER)
    site = HeldSite(count=1)
    with site.serve() as base:
        process = subprocess.Popen(
            ascrapy_command("runspider", "held.py", "-a", f"base={base}", "-L", "INFO",
                            "-s", "LIVE_STATUS_INTERVAL=0.05", "--logfile", "crawl.log"),
            cwd=tmp_path, env=child_env(TERM="xterm"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        assert site.arrived.wait(WAIT)
        site.release()
        out, err = process.communicate(timeout=WAIT)
    assert process.returncode == 0
    log = (tmp_path / "crawl.log").read_text()
    assert "Spider closed (finished)" in log
    assert "ascrapy |" not in log + out + err and "\x1b[K" not in log + out + err


def test_which_streams_are_watched() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert watched_terminal(Tty(), {"TERM": "xterm"})
    assert not watched_terminal(Tty(), {"TERM": "dumb"})
    assert not watched_terminal(Tty(), {"TERM": "xterm", "KUBERNETES_SERVICE_HOST": "10.0.0.1"})
    assert not watched_terminal(io.StringIO(), {"TERM": "xterm"})


def test_the_line_reads_as_documented() -> None:
    line = render_status(1234, 56.72, 890, CrawlLoad(queued=120, in_flight=16), 3, 83.9)
    assert line == "ascrapy | 1234 pages (56.7/s) | 890 items | 120 queued | 16 in flight | 3 errors | 0:01:23"
