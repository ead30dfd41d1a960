"""Serve the generated link site on 127.0.0.1 for the benchmarks: nginx if installed, else aiohttp.

nginx (the Debian package) serves static files at almost no CPU cost, so the crawlers,
not the server, are what is measured. It runs in the foreground as our own child process
with a throw-away config in a temporary folder, and is stopped by its PID. Without nginx,
``python -m tests.sites link`` serves the same pages from a process of its own.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.sites import serve_command, write_link_site  # noqa: E402

NGINX_CONF = """\
daemon off;
master_process on;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
        default_type text/html;
        charset utf-8;
        location / {{
            try_files $uri $uri.html $uri/index.html =404;
        }}
    }}
}}
"""


@dataclass(frozen=True)
class RunningSite:
    """Where the site answers and what serves it (for the report)."""

    base_url: str
    server: str


def nginx_binary() -> str | None:
    """The nginx executable, looked up on PATH and in /usr/sbin (not on a user's PATH)."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def nginx_version(binary: str) -> str:
    done = subprocess.run([binary, "-v"], capture_output=True, text=True)
    return (done.stderr or done.stdout).strip().split(":", 1)[-1].strip()  # "nginx/1.22.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(url: str, process: subprocess.Popen, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the site server exited with {process.returncode} before serving {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.1)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM our own child by its PID (nginx's master then stops its worker), then wait."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def nginx_site(binary: str, pages: int, links: int) -> Iterator[RunningSite]:
    with tempfile.TemporaryDirectory(prefix="ascrapy-bench-nginx-") as tmp:
        # nginx's worker runs as an unprivileged user when started as root: let it read the files
        os.chmod(tmp, 0o755)
        root = write_link_site(Path(tmp, "site"), pages, links)
        port = free_port()
        conf = Path(tmp, "nginx.conf")
        conf.write_text(NGINX_CONF.format(tmp=tmp, root=root, port=port))
        process = subprocess.Popen(
            [binary, "-c", str(conf), "-p", tmp],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_serving(f"{base}/page/{pages - 1}", process)
            yield RunningSite(base, nginx_version(binary))
        finally:
            stop(process)


@contextmanager
def aiohttp_site(pages: int, links: int) -> Iterator[RunningSite]:
    import aiohttp

    command = [sys.executable, "-m", "tests.sites", "link", "--pages", str(pages), "--links", str(links)]
    with serve_command(command, cwd=REPO) as base:  # it prints its URL once it listens
        yield RunningSite(base, f"aiohttp {aiohttp.__version__} (python -m tests.sites, own process)")


@contextmanager
def serve_link_site(pages: int, links: int, server: str = "auto") -> Iterator[RunningSite]:
    """The link site on 127.0.0.1; ``server`` is "auto" (nginx if installed), "nginx" or "aiohttp"."""
    binary = nginx_binary() if server in ("auto", "nginx") else None
    if server == "nginx" and binary is None:
        raise RuntimeError("nginx is not installed (Debian package: nginx)")
    context = nginx_site(binary, pages, links) if binary else aiohttp_site(pages, links)
    with context as site:
        yield site


if __name__ == "__main__":
    with serve_link_site(int(sys.argv[1]) if len(sys.argv) > 1 else 2000, 20) as running:
        print(running)
        with urllib.request.urlopen(running.base_url + "/page/7") as answer:
            print(answer.status, answer.headers.get("Content-Type"), len(answer.read()))
        with urllib.request.urlopen(running.base_url + "/") as answer:
            print(answer.status, answer.headers.get("Content-Type"), len(answer.read()))
