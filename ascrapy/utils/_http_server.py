"""A small HTTP/1.1 server for a crawl's own endpoints (the RemoteControl API on 127.0.0.1,
the metrics and health endpoints).

aiohttp.web could serve them, but importing it costs every crawl about 10 MB of memory for
endpoints that answer a few requests per crawl, or one every few seconds. This server is built on
``asyncio.start_server`` and keeps to what such an endpoint needs: one request per
connection (every answer says ``Connection: close``), Content-Length or chunked bodies,
bounded head and body sizes, a deadline for receiving a request and for sending the
answer, and the handler cancelled when its client goes away.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote

logger = logging.getLogger(__name__)

MAX_HEAD_BYTES = 16 * 1024
MAX_BODY_BYTES = 1024 * 1024  # aiohttp.web's default client_max_size
REQUEST_TIMEOUT = 10.0
STOP_TIMEOUT = 2.0
# After an error answer sent before the request was read to its end, how long unread
# input is drained so that closing does not reset the connection under the answer.
LINGER_SECONDS = 1.0

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_VERSION = re.compile(r"HTTP/(\d)\.\d")
_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,16}")


@dataclass(slots=True)
class HttpRequest:
    """A request read in full; header names are lower-cased, repeated ones joined by ", "."""

    method: str
    path: str  # percent-decoded, without the query
    query: str
    headers: dict[str, str]
    body: bytes = b""


@dataclass(slots=True)
class HttpResponse:
    """An answer; Content-Length and ``Connection: close`` are added when it is sent."""

    status: int
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[HttpRequest], Awaitable[HttpResponse]]


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    return HttpResponse(status, json.dumps(data).encode("ascii"), headers=headers or {})


class _RequestError(Exception):
    """A request that is answered with an error before any handler sees it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class SmallHttpServer:
    """Serves ``routes`` ({(method, path): handler}) on ``host`` (127.0.0.1 by default) at
    ``port`` (0: a free one)."""

    def __init__(
        self,
        routes: Mapping[tuple[str, str], Handler],
        *,
        max_head_bytes: int = MAX_HEAD_BYTES,
        max_body_bytes: int = MAX_BODY_BYTES,
        request_timeout: float = REQUEST_TIMEOUT,
        stop_timeout: float = STOP_TIMEOUT,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self._routes = dict(routes)
        self._host = host
        self._port = port
        self._methods_by_path: dict[str, list[str]] = {}
        for method, path in self._routes:
            self._methods_by_path.setdefault(path, []).append(method)
        self._max_head_bytes = max_head_bytes
        self._max_body_bytes = max_body_bytes
        self._request_timeout = request_timeout
        self._stop_timeout = stop_timeout
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[Any]] = set()
        self._handling: set[asyncio.Task[Any]] = set()  # connections whose handler runs
        self.port: int | None = None

    async def start(self) -> int:
        """Listen and return the port (the one the system chose when asked for 0)."""
        self._server = await asyncio.start_server(
            self._serve_connection, self._host, self._port, limit=self._max_head_bytes
        )
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    @property
    def addresses(self) -> list[tuple[str, int]]:
        """The (host, port) pairs it listens on; empty when stopped."""
        if self._server is None:
            return []
        return [socket.getsockname()[:2] for socket in self._server.sockets]

    async def stop(self) -> None:
        """Stop listening, give running handlers ``stop_timeout`` seconds, then cancel them.

        Connections still sending their request are dropped at once.
        """
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        for task in self._connections - self._handling:
            task.cancel()
        if self._connections:
            _, late = await asyncio.wait(self._connections, timeout=self._stop_timeout)
            for task in late:
                task.cancel()
            if late:
                await asyncio.wait(late, timeout=self._stop_timeout)
        await server.wait_closed()
        self.port = None

    # -- one connection -------------------------------------------------------------------

    async def _serve_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # Never ends cancelled or failed: asyncio (3.11) logs either as an unhandled error.
        task = asyncio.current_task()
        assert task is not None
        if self._server is None:  # accepted just before stop()
            writer.close()
            return
        self._connections.add(task)
        try:
            await self._serve_request(reader, writer, task)
        except (asyncio.CancelledError, ConnectionError, TimeoutError):
            pass
        except Exception:
            logger.exception("Unexpected error in the local HTTP server")
        finally:
            self._connections.discard(task)
            self._handling.discard(task)
            writer.close()

    async def _serve_request(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, task: asyncio.Task[Any]
    ) -> None:
        try:
            async with asyncio.timeout(self._request_timeout):
                request = await self._read_request(reader, writer)
        except asyncio.IncompleteReadError:
            return  # the client left before sending a whole request
        except (_RequestError, TimeoutError) as error:
            if isinstance(error, TimeoutError):
                error = _RequestError(408, "request not received in time")
            await self._send(writer, json_response({"error": error.message}, error.status))
            await self._drain_input(reader, writer)
            return
        found = self._find_handler(request)
        if isinstance(found, HttpResponse):
            response: HttpResponse | None = found
        else:
            self._handling.add(task)
            try:
                response = await self._run_handler(found, request, reader)
            except Exception:
                logger.exception(f"Error handling {request.method} {request.path}")
                response = json_response({"error": "internal server error"}, 500)
            finally:
                self._handling.discard(task)
        if response is not None:
            await self._send(writer, response, head_only=request.method == "HEAD")

    def _find_handler(self, request: HttpRequest) -> Handler | HttpResponse:
        handler = self._routes.get((request.method, request.path))
        if handler is not None:
            return handler
        allowed = self._methods_by_path.get(request.path)
        if allowed is None:
            return json_response({"error": "not found"}, 404)
        return json_response({"error": "method not allowed"}, 405, {"Allow": ", ".join(allowed)})

    async def _run_handler(
        self, handler: Handler, request: HttpRequest, reader: asyncio.StreamReader
    ) -> HttpResponse | None:
        """The handler's response, or None when the client left first (the handler is cancelled)."""
        handling = asyncio.ensure_future(handler(request))
        watching = asyncio.ensure_future(_wait_for_disconnect(reader))
        try:
            await asyncio.wait((handling, watching), return_when=asyncio.FIRST_COMPLETED)
        finally:
            watching.cancel()
            if not handling.done():
                handling.cancel()
                await asyncio.wait((handling,))
        if handling.cancelled():
            return None
        return handling.result()

    # -- reading ---------------------------------------------------------------------------

    async def _read_request(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> HttpRequest:
        lines = await self._read_head_lines(reader, self._max_head_bytes, skip_leading_blank=True)
        method, path, query = _parse_request_line(lines[0])
        headers = _parse_headers(lines[1:])
        body = b""
        coding = headers.get("transfer-encoding")
        length = headers.get("content-length")
        if coding is not None:
            if length is not None:
                raise _RequestError(400, "both Content-Length and Transfer-Encoding given")
            if coding.lower() != "chunked":
                raise _RequestError(501, "unsupported Transfer-Encoding")
            _send_continue(writer, headers)
            body = await self._read_chunked_body(reader)
        elif length is not None:
            size = _parse_content_length(length)
            if size > self._max_body_bytes:
                raise _RequestError(413, "request body too large")
            if size:
                _send_continue(writer, headers)
                body = await reader.readexactly(size)
        return HttpRequest(method, path, query, headers, body)

    async def _read_head_lines(
        self, reader: asyncio.StreamReader, budget: int, *, skip_leading_blank: bool = False
    ) -> list[str]:
        """Lines up to the blank one that ends a head (or a chunked body's trailer)."""
        lines: list[str] = []
        while True:
            raw = await _read_line(reader, "request head too large")
            budget -= len(raw)
            if budget < 0:
                raise _RequestError(400, "request head too large")
            line = raw[:-1].removesuffix(b"\r").decode("utf-8", "surrogateescape")
            if line:
                lines.append(line)
            elif lines or not skip_leading_blank:
                return lines

    async def _read_chunked_body(self, reader: asyncio.StreamReader) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            size_line = await _read_line(reader, "malformed chunk size")
            size_text = size_line.split(b";", 1)[0].strip()
            if not _CHUNK_SIZE.fullmatch(size_text):
                raise _RequestError(400, "malformed chunk size")
            size = int(size_text, 16)
            if size == 0:
                break
            total += size
            if total > self._max_body_bytes:
                raise _RequestError(413, "request body too large")
            chunks.append(await reader.readexactly(size))
            if (await _read_line(reader, "malformed chunk")).strip(b"\r\n"):
                raise _RequestError(400, "malformed chunk")
        await self._read_head_lines(reader, self._max_head_bytes)  # trailer fields, ignored
        return b"".join(chunks)

    # -- writing ---------------------------------------------------------------------------

    async def _send(self, writer: asyncio.StreamWriter, response: HttpResponse, *, head_only: bool = False) -> None:
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
        head = [
            f"HTTP/1.1 {response.status} {reason}",
            f"Content-Type: {response.content_type}",
            f"Content-Length: {len(response.body)}",
            "Connection: close",
            *(f"{name}: {value}" for name, value in response.headers.items()),
        ]
        data = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
        writer.write(data if head_only else data + response.body)
        with contextlib.suppress(ConnectionError, TimeoutError):
            async with asyncio.timeout(self._request_timeout):
                await writer.drain()

    async def _drain_input(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Half-close, then discard what the client still sends (briefly), so it reads the answer."""
        with contextlib.suppress(OSError, TimeoutError):
            if writer.can_write_eof():
                writer.write_eof()
            async with asyncio.timeout(LINGER_SECONDS):
                while await reader.read(65536):
                    pass


def _parse_request_line(line: str) -> tuple[str, str, str]:
    parts = line.split(" ")
    if len(parts) != 3 or not _TOKEN.fullmatch(parts[0]) or not parts[1].startswith("/"):
        raise _RequestError(400, "malformed request line")
    method, target, version = parts
    matched = _VERSION.fullmatch(version)
    if matched is None or _CONTROL_CHARS.search(target):
        raise _RequestError(400, "malformed request line")
    if matched.group(1) != "1":
        raise _RequestError(505, "HTTP version not supported")
    path, _, query = target.partition("?")
    return method, unquote(path), query


def _parse_headers(lines: list[str]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in lines:
        name, colon, value = line.partition(":")
        # A name must be a token: this also refuses folded lines (leading whitespace).
        if not colon or not _TOKEN.fullmatch(name) or _CONTROL_CHARS.search(value):
            raise _RequestError(400, "malformed header")
        key = name.lower()
        value = value.strip(" \t")
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


def _parse_content_length(value: str) -> int:
    """The length; repeated identical values are allowed, anything else is an error."""
    values = {part.strip() for part in value.split(",")}
    if len(values) != 1:
        raise _RequestError(400, "invalid Content-Length")
    (text,) = values
    if not (text.isascii() and text.isdigit()):
        raise _RequestError(400, "invalid Content-Length")
    return int(text)


async def _read_line(reader: asyncio.StreamReader, error_message: str) -> bytes:
    """One line, newline included; a line longer than the reader's limit is a 400 error."""
    try:
        return await reader.readuntil(b"\n")
    except asyncio.LimitOverrunError:
        raise _RequestError(400, error_message) from None


def _send_continue(writer: asyncio.StreamWriter, headers: dict[str, str]) -> None:
    if headers.get("expect", "").lower() == "100-continue":
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")


async def _wait_for_disconnect(reader: asyncio.StreamReader) -> None:
    """Return once the client closes its side (anything it sends meanwhile is dropped)."""
    with contextlib.suppress(OSError):
        while await reader.read(65536):
            pass
