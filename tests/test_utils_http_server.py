"""The loopback HTTP/1.1 server: parsing, limits, timeouts, concurrency, disconnects, stop."""

from __future__ import annotations

import asyncio
import json
import logging
from contextlib import asynccontextmanager
from typing import Any

import pytest

from ascrapy.utils._http_server import HttpRequest, HttpResponse, SmallHttpServer, json_response


async def echo(request: HttpRequest) -> HttpResponse:
    return json_response({
        "method": request.method, "path": request.path, "query": request.query,
        "headers": request.headers, "body": request.body.decode("utf-8", "replace"),
    })


ECHO_ROUTES = {("GET", "/echo"): echo, ("POST", "/echo"): echo}


@asynccontextmanager
async def serving(routes: dict | None = None, **options: Any):
    server = SmallHttpServer(ECHO_ROUTES if routes is None else routes, **options)
    port = await server.start()
    try:
        yield server, port
    finally:
        await server.stop()


def parse(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(": ")
        headers[name.lower()] = value
    return int(status_line.split(" ")[1]), headers, body


async def exchange(port: int, raw: bytes, *, close_write: bool = False) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes, read the answer to the end of the connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(raw)
        if close_write:
            writer.write_eof()
        answer = await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()
    return parse(answer)


# -- requests that are served ---------------------------------------------------------


async def test_addresses_name_where_it_listens_while_it_runs():
    server = SmallHttpServer(ECHO_ROUTES)
    assert server.addresses == []
    port = await server.start()
    try:
        assert server.addresses == [("127.0.0.1", port)]
    finally:
        await server.stop()
    assert server.addresses == []


async def test_get_answers_json_and_closes_the_connection():
    async with serving() as (_, port):
        status, headers, body = await exchange(
            port, b"GET /e%63ho?a=1&b=%20 HTTP/1.1\r\nHost: x\r\nX-Twice: 1\r\nx-twice: 2\r\n\r\n")
    assert status == 200
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert headers["connection"] == "close"
    assert int(headers["content-length"]) == len(body)
    seen = json.loads(body)
    assert (seen["method"], seen["path"], seen["query"]) == ("GET", "/echo", "a=1&b=%20")
    assert seen["headers"] == {"host": "x", "x-twice": "1, 2"}


async def test_bare_newlines_and_http_1_0_are_accepted():
    async with serving() as (_, port):
        status, _, body = await exchange(port, b"\r\nGET /echo HTTP/1.0\nA:  spaced \t\n\n")
    assert status == 200
    assert json.loads(body)["headers"] == {"a": "spaced"}


async def test_content_length_body_reaches_the_handler():
    async with serving() as (_, port):
        status, _, body = await exchange(
            port, b"POST /echo HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello")
    assert status == 200 and json.loads(body)["body"] == "hello"


async def test_chunked_body_reaches_the_handler():
    request = (b"POST /echo HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n"
               b"3;ext=1\r\nhel\r\n2\r\nlo\r\n0\r\nTrailer: x\r\n\r\n")
    async with serving() as (_, port):
        status, _, body = await exchange(port, request)
    assert status == 200 and json.loads(body)["body"] == "hello"


async def test_expect_100_continue_gets_an_interim_answer_before_the_body():
    async with serving() as (_, port):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST /echo HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
        interim = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        writer.write(b"ok")
        final = await asyncio.wait_for(reader.read(), 5)
        writer.close()
    assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
    status, _, body = parse(final)
    assert status == 200 and json.loads(body)["body"] == "ok"


async def test_unknown_paths_and_methods():
    async with serving({("POST", "/only-post"): echo}) as (_, port):
        missing = await exchange(port, b"GET /nothing HTTP/1.1\r\n\r\n")
        wrong_method = await exchange(port, b"GET /only-post HTTP/1.1\r\n\r\n")
        head = await exchange(port, b"HEAD /only-post HTTP/1.1\r\n\r\n")
    assert (missing[0], json.loads(missing[2])) == (404, {"error": "not found"})
    assert (wrong_method[0], json.loads(wrong_method[2])) == (405, {"error": "method not allowed"})
    assert wrong_method[1]["allow"] == "POST"
    assert head[0] == 405 and head[2] == b"" and int(head[1]["content-length"]) > 0


async def test_a_failing_handler_gets_a_500_and_is_logged(caplog):
    async def broken(request: HttpRequest) -> HttpResponse:
        raise RuntimeError("handler bug")

    async with serving({("GET", "/broken"): broken}) as (_, port):
        with caplog.at_level(logging.ERROR):
            status, _, body = await exchange(port, b"GET /broken HTTP/1.1\r\n\r\n")
    assert (status, json.loads(body)) == (500, {"error": "internal server error"})
    assert "handler bug" in caplog.text and "GET /broken" in caplog.text


# -- requests that are refused --------------------------------------------------------


@pytest.mark.parametrize(
    "request_line",
    [
        b"GET /echo\r\n",
        b"GET  /echo HTTP/1.1\r\n",
        b"GET /echo HTTP/1.1 extra\r\n",
        b"G(T /echo HTTP/1.1\r\n",
        b"GET echo HTTP/1.1\r\n",
        b"GET /echo HTTX/1.1\r\n",
        b"GET /ec\x01ho HTTP/1.1\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n",  # a TLS hello
    ],
)
async def test_malformed_request_lines_get_400(request_line):
    async with serving() as (_, port):
        status, _, body = await exchange(port, request_line + b"\r\n")
    assert (status, json.loads(body)) == (400, {"error": "malformed request line"})


async def test_other_http_versions_get_505():
    async with serving() as (_, port):
        status, _, _ = await exchange(port, b"GET /echo HTTP/2.0\r\n\r\n")
    assert status == 505


@pytest.mark.parametrize(
    "header", [b"No-Colon", b"Space : before", b": no-name", b"Bad\x00: char", b"A: b\x7f", b" folded: line"]
)
async def test_malformed_headers_get_400(header):
    async with serving() as (_, port):
        status, _, body = await exchange(port, b"GET /echo HTTP/1.1\r\nHost: x\r\n" + header + b"\r\n\r\n")
    assert (status, json.loads(body)) == (400, {"error": "malformed header"})


@pytest.mark.parametrize(
    "head",
    [
        b"GET /echo HTTP/1.1\r\nX-Long: " + b"a" * 3000 + b"\r\n\r\n",  # one line over the limit
        b"GET /echo HTTP/1.1\r\n" + b"X-Many: 1234567890\r\n" * 100 + b"\r\n",  # short lines, too many
    ],
)
async def test_oversized_heads_get_400(head):
    async with serving(max_head_bytes=1024) as (_, port):
        status, _, body = await exchange(port, head)
    assert (status, json.loads(body)) == (400, {"error": "request head too large"})


@pytest.mark.parametrize(
    ("headers", "status", "error"),
    [
        (b"Content-Length: abc\r\n", 400, "invalid Content-Length"),
        (b"Content-Length: -1\r\n", 400, "invalid Content-Length"),
        (b"Content-Length: 1\r\nContent-Length: 2\r\n", 400, "invalid Content-Length"),
        (b"Content-Length: 1\r\nTransfer-Encoding: chunked\r\n", 400,
         "both Content-Length and Transfer-Encoding given"),
        (b"Transfer-Encoding: gzip, chunked\r\n", 501, "unsupported Transfer-Encoding"),
    ],
)
async def test_bad_body_framing(headers, status, error):
    async with serving() as (_, port):
        answer = await exchange(port, b"POST /echo HTTP/1.1\r\n" + headers + b"\r\n")
    assert (answer[0], json.loads(answer[2])) == (status, {"error": error})


@pytest.mark.parametrize("body", [b"zz\r\nab\r\n0\r\n\r\n", b"2\r\nabXY\r\n0\r\n\r\n"])
async def test_malformed_chunks_get_400(body):
    async with serving() as (_, port):
        status, _, _ = await exchange(port, b"POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
    assert status == 400


async def test_oversized_bodies_get_413_before_being_read():
    async with serving(max_body_bytes=100) as (_, port):
        declared = await exchange(port, b"POST /echo HTTP/1.1\r\nContent-Length: 101\r\n\r\n")
        chunked = await exchange(
            port, b"POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n" + b"a" * 64
            + b"\r\n40\r\n" + b"a" * 64 + b"\r\n0\r\n\r\n")
        at_limit = await exchange(port, b"POST /echo HTTP/1.1\r\nContent-Length: 100\r\n\r\n" + b"a" * 100)
    assert (declared[0], json.loads(declared[2])) == (413, {"error": "request body too large"})
    assert chunked[0] == 413
    assert at_limit[0] == 200


async def test_a_client_still_sending_a_refused_body_reads_the_answer():
    # Closing with unread input would reset the connection under the 413 answer.
    async with serving(max_body_bytes=100) as (_, port):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST /echo HTTP/1.1\r\nContent-Length: 4000000\r\n\r\n" + b"a" * 4_000_000)
        answer = await asyncio.wait_for(reader.read(), 10)
        writer.close()
    assert parse(answer)[0] == 413


# -- timeouts, concurrency, disconnects -----------------------------------------------


async def test_stalled_clients_do_not_hold_the_server():
    """Two clients that never finish their requests: a third is served all the same (were it
    made to wait for them, it would wait an hour, and the hang guard in exchange fails it)."""
    async with serving(request_timeout=3600) as (_, port):
        slow_reader, slow_writer = await asyncio.open_connection("127.0.0.1", port)
        slow_writer.write(b"POST /echo HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc")  # never finishes
        silent_reader, silent_writer = await asyncio.open_connection("127.0.0.1", port)
        served = await exchange(port, b"GET /echo HTTP/1.1\r\n\r\n")
        assert served[0] == 200
        slow_writer.close()
        silent_writer.close()


async def test_a_client_that_does_not_finish_its_request_in_time_gets_408():
    async with serving(request_timeout=0.2) as (_, port):
        slow_reader, slow_writer = await asyncio.open_connection("127.0.0.1", port)
        slow_writer.write(b"POST /echo HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc")  # never finishes
        silent_reader, silent_writer = await asyncio.open_connection("127.0.0.1", port)
        for reader, writer in ((slow_reader, slow_writer), (silent_reader, silent_writer)):
            status, _, body = parse(await asyncio.wait_for(reader.read(), 10))  # a hang guard
            writer.close()
            assert (status, json.loads(body)) == (408, {"error": "request not received in time"})


async def test_concurrent_requests_are_handled_at_the_same_time():
    inside = 0
    all_inside = asyncio.Event()

    async def gathering(request: HttpRequest) -> HttpResponse:
        nonlocal inside
        inside += 1
        if inside == 10:
            all_inside.set()
        await asyncio.wait_for(all_inside.wait(), 5)  # times out unless all ten run together
        return json_response({"n": request.query})

    async with serving({("GET", "/gather"): gathering}) as (_, port):
        answers = await asyncio.gather(
            *(exchange(port, f"GET /gather?{n} HTTP/1.1\r\n\r\n".encode()) for n in range(10)))
    assert [(status, json.loads(body)) for status, _, body in answers] == [
        (200, {"n": str(n)}) for n in range(10)]


async def test_a_client_leaving_mid_request_does_not_disturb_the_server():
    async with serving() as (server, port):
        for partial in (b"", b"GET /echo HT", b"POST /echo HTTP/1.1\r\nContent-Length: 9\r\n\r\nabc"):
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(partial)
            await writer.drain()
            writer.close()
        await asyncio.sleep(0.05)
        assert not server._connections
        assert (await exchange(port, b"GET /echo HTTP/1.1\r\n\r\n"))[0] == 200


async def test_a_client_leaving_while_its_handler_runs_cancels_the_handler():
    entered = asyncio.Event()
    cancelled = asyncio.Event()

    async def slow(request: HttpRequest) -> HttpResponse:
        entered.set()
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return json_response({})

    async with serving({("GET", "/slow"): slow, **ECHO_ROUTES}) as (server, port):
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /slow HTTP/1.1\r\n\r\n")
        await asyncio.wait_for(entered.wait(), 5)
        writer.close()
        await asyncio.wait_for(cancelled.wait(), 5)
        assert (await exchange(port, b"GET /echo HTTP/1.1\r\n\r\n"))[0] == 200
        await asyncio.sleep(0)
        assert not server._connections


# -- stopping -------------------------------------------------------------------------


async def test_stop_lets_a_running_handler_answer_and_drops_idle_clients():
    release = asyncio.Event()

    async def waiting(request: HttpRequest) -> HttpResponse:
        await release.wait()
        return json_response({"done": True})

    server = SmallHttpServer({("GET", "/wait"): waiting}, stop_timeout=5)
    port = await server.start()
    pending = asyncio.ensure_future(exchange(port, b"GET /wait HTTP/1.1\r\n\r\n"))
    idle_reader, idle_writer = await asyncio.open_connection("127.0.0.1", port)
    await asyncio.sleep(0.05)
    stopping = asyncio.ensure_future(server.stop())
    assert await asyncio.wait_for(idle_reader.read(), 5) == b""  # dropped at once
    idle_writer.close()
    assert not stopping.done()
    release.set()
    await asyncio.wait_for(stopping, 5)
    status, _, body = await pending
    assert (status, json.loads(body)) == (200, {"done": True})
    assert server.port is None
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", port)
    await server.stop()  # twice is harmless


async def test_stop_cancels_a_handler_that_outlives_the_stop_timeout():
    entered, cancelled = asyncio.Event(), asyncio.Event()

    async def endless(request: HttpRequest) -> HttpResponse:
        entered.set()
        try:
            await asyncio.Event().wait()  # never answers unless cancelled
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return json_response({})

    server = SmallHttpServer({("GET", "/endless"): endless}, stop_timeout=0.1)
    port = await server.start()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /endless HTTP/1.1\r\n\r\n")
    await asyncio.wait_for(entered.wait(), 10)  # a hang guard
    await asyncio.wait_for(server.stop(), 10)  # without the cancel, the stop would wait for ever
    assert cancelled.is_set()
    assert await asyncio.wait_for(reader.read(), 5) == b""  # closed without an answer
    writer.close()
