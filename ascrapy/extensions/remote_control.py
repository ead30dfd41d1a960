"""RemoteControl: a local HTTP endpoint that runs Python code inside the running crawl.

From engine start to engine stop a small HTTP server (ascrapy.utils._http_server, not
aiohttp.web, whose import alone costs ~10 MB per crawl) listens on 127.0.0.1 (a random
port) and answers, for a request carrying ``Authorization: Bearer <token>``:

- ``GET /status``: pid, spider, project (BOT_NAME), version, start_time.
- ``POST /execute`` with ``{"code": ..., "timeout_sec": ...}``: runs the code (top-level
  ``await`` allowed) with ``crawler``, ``stash`` (a dict kept between calls) and ``print``
  (captured) in its namespace; answers status ok / compile_error / error / timeout, the
  output and the traceback, both capped in size.

Port and token are written to a job file (ascrapy.utils._remote_control) that only the
user can read; the token itself is never logged. REMOTE_CONTROL_ENABLED turns it off.
"""

from __future__ import annotations

import ast
import asyncio
import hmac
import inspect
import io
import json
import logging
import os
import secrets
import time
import traceback
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Any, Literal

from ascrapy import signals
from ascrapy.exceptions import NotConfigured
from ascrapy.utils._http_server import HttpRequest, HttpResponse, SmallHttpServer, json_response
from ascrapy.utils._remote_control import (
    ExecuteResult,
    StatusResult,
    job_files_dir,
    new_job_file_name,
    write_job_file,
)
from ascrapy.version import __version__

if TYPE_CHECKING:
    from ascrapy.protocols import CrawlerProtocol

logger = logging.getLogger("scrapy.extensions.remote_control")

# Seconds the server waits for running handlers when it stops (read at start()).
STOP_TIMEOUT = 2.0


class RemoteControl:
    """Serves /status and /execute for the duration of the crawl."""

    def __init__(self, crawler: CrawlerProtocol) -> None:
        settings = crawler.settings
        if not settings.getbool("REMOTE_CONTROL_ENABLED"):
            raise NotConfigured
        self._crawler = crawler
        self._default_timeout: float = settings.getfloat("REMOTE_CONTROL_TIMEOUT_DEFAULT")
        self._max_timeout: float = settings.getfloat("REMOTE_CONTROL_TIMEOUT_MAX")
        self._output_max_bytes: int = settings.getint("REMOTE_CONTROL_OUTPUT_MAX_BYTES")
        self._traceback_max_bytes: int = settings.getint("REMOTE_CONTROL_TRACEBACK_MAX_BYTES")
        if self._default_timeout <= 0 or self._max_timeout <= 0:
            raise NotConfigured("REMOTE_CONTROL_TIMEOUT_* must be positive")
        self._stash: dict[str, Any] = {}
        self._auth_token: str | None = None
        self._runner: SmallHttpServer | None = None  # the HTTP server (Scrapy names its aiohttp runner so)
        self._job_file_path: Path | None = None
        crawler.signals.connect(self.start, signal=signals.engine_started)
        crawler.signals.connect(self.stop, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: CrawlerProtocol) -> RemoteControl:
        return cls(crawler)

    # -- server lifecycle -----------------------------------------------------------------

    async def start(self) -> None:
        """Start the server, then publish its job file; on any failure, stay off."""
        try:
            self._auth_token = secrets.token_urlsafe(32)
            self._runner = SmallHttpServer(
                {("GET", "/status"): self._handle_status, ("POST", "/execute"): self._handle_execute},
                stop_timeout=STOP_TIMEOUT,
            )
            port = await self._runner.start()
            path = job_files_dir(self._crawler.settings) / new_job_file_name()
            write_job_file(
                path,
                spider=self._spider_name(),
                project=self._crawler.settings.get("BOT_NAME"),
                scrapy_version=__version__,
                port=port,
                token=self._auth_token,
            )
            self._job_file_path = path
            logger.info(
                f"Remote control HTTP server listening on port {port} (job {path.stem})",
                extra={"crawler": self._crawler},
            )
        except Exception:
            logger.exception("Remote control HTTP server failed to start", extra={"crawler": self._crawler})
            await self.stop()

    async def stop(self) -> None:
        """Remove the job file first (no new clients), then stop the server."""
        path, self._job_file_path = self._job_file_path, None
        if path is not None:
            try:
                path.unlink(missing_ok=True)
            except OSError as error:  # it holds the token: say that it is left behind
                logger.warning(
                    "Could not remove the remote control job file %(path)s: %(error)s",
                    {"path": path, "error": error}, extra={"crawler": self._crawler},
                )
        server = self._runner
        if server is None:
            return
        try:
            await server.stop()
        except Exception:
            logger.exception("Error stopping the remote control HTTP server", extra={"crawler": self._crawler})
        finally:
            self._stash.clear()
            self._runner = None
            self._auth_token = None

    # -- handlers -------------------------------------------------------------------------

    def _is_authenticated(self, request: HttpRequest) -> bool:
        expected = self._auth_token
        if expected is None:
            return False
        given = request.headers.get("authorization", "").removeprefix("Bearer ")
        return given.isascii() and hmac.compare_digest(given, expected)

    async def _handle_status(self, request: HttpRequest) -> HttpResponse:
        if not self._is_authenticated(request):
            return _unauthorized()
        return json_response(self._get_status())

    async def _handle_execute(self, request: HttpRequest) -> HttpResponse:
        if not self._is_authenticated(request):
            return _unauthorized()
        try:
            body = json.loads(request.body.decode("utf-8"))
        except (ValueError, RecursionError):  # bad JSON or UTF-8, or nested too deep
            return _bad_request("invalid JSON body")
        if not isinstance(body, dict) or not isinstance(body.get("code"), str):
            return _bad_request("Missing or invalid 'code' value")
        requested = body.get("timeout_sec")
        if requested is not None and not isinstance(requested, (int, float)):
            return _bad_request("Invalid 'timeout_sec' value")
        timeout = _effective_timeout(requested, self._default_timeout, self._max_timeout)
        compiled = _compile(body["code"])
        if isinstance(compiled, str):
            result: ExecuteResult = {
                "status": "compile_error", "output": "", "traceback": compiled, "elapsed_sec": 0.0,
            }
        else:
            result = await self._run_code(compiled, timeout)
        return json_response(result)

    # -- running code ---------------------------------------------------------------------

    def _make_namespace(self, output: io.StringIO) -> dict[str, Any]:
        """A fresh namespace per call; only ``stash`` carries values from call to call."""

        def captured_print(*args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("file", output)
            print(*args, **kwargs)

        return {"crawler": self._crawler, "stash": self._stash, "print": captured_print}

    async def _run_code(self, code: CodeType, timeout: float) -> ExecuteResult:
        output = io.StringIO()
        namespace = self._make_namespace(output)
        status: Literal["ok", "error", "timeout"] = "ok"
        error_text: str | None = None
        started = time.perf_counter()
        try:
            # Code with a top-level await evaluates to a coroutine; other code runs here.
            outcome = eval(code, namespace)  # noqa: S307 - running the caller's code is the point
            if inspect.iscoroutine(outcome):
                try:
                    await asyncio.wait_for(outcome, timeout)
                except asyncio.TimeoutError:
                    status = "timeout"
        except Exception:  # CancelledError (a BaseException) still cancels the handler
            status = "error"
            error_text = traceback.format_exc()
        elapsed = round(time.perf_counter() - started, 3)
        text, output_cut = _cap(output.getvalue(), self._output_max_bytes)
        traceback_cut = False
        if error_text is not None:
            error_text, traceback_cut = _cap(error_text, self._traceback_max_bytes)
        result: ExecuteResult = {
            "status": status,
            "output": text,
            "traceback": error_text,
            "elapsed_sec": elapsed,
        }
        if output_cut:
            result["output_truncated"] = True
        if traceback_cut:
            result["traceback_truncated"] = True
        return result

    def _spider_name(self) -> str:
        spider = self._crawler.spider
        assert spider is not None, "RemoteControl needs the crawler's spider"
        return spider.name

    def _get_status(self) -> StatusResult:
        start_time = self._crawler.stats.get_value("start_time")
        return {
            "pid": os.getpid(),
            "spider": self._spider_name(),
            "project": self._crawler.settings.get("BOT_NAME"),
            "scrapy_version": __version__,
            "start_time": start_time.timestamp() if start_time is not None else None,
        }


def _unauthorized() -> HttpResponse:
    return json_response({"error": "unauthorized"}, status=401)


def _bad_request(message: str) -> HttpResponse:
    return json_response({"error": message}, status=400)


def _cap(text: str, limit: int) -> tuple[str, bool]:
    """``text`` cut to ``limit`` UTF-8 bytes (never inside a character), with a marker."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text, False
    dropped_kb = (len(encoded) - limit) // 1024 + 1
    kept = encoded[:limit].decode("utf-8", "ignore")
    return f"{kept}…[truncated, +{dropped_kb}KB]", True


def _compile(source: str) -> CodeType | str:
    """The code object (top-level await allowed), or the compile error's traceback."""
    try:
        return compile(source, "<execute>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    except (SyntaxError, ValueError):
        return traceback.format_exc()


def _effective_timeout(requested: float | None, default: float, maximum: float) -> float:
    """The requested timeout (the default when missing, zero, negative or NaN), at most ``maximum``."""
    if requested is None or not requested > 0:
        requested = default
    return min(requested, maximum)
