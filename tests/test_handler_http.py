"""The HTTP handler sends the headers the request has, no more, and reads bodies whole."""

from __future__ import annotations

import json

import pytest

from ascrapy import Request
from ascrapy.handlers.http import HTTPDownloadHandler
from ascrapy.utils.test import get_crawler


@pytest.fixture
async def handler():
    handler = HTTPDownloadHandler(get_crawler())
    yield handler
    closing = handler.close()  # None when no session was opened
    if closing is not None:
        await closing


async def _echo(handler, test_server_url, **kwargs):
    response = await handler.download_request(Request(f"{test_server_url}/echo", **kwargs))
    return json.loads(response.body)


async def test_a_request_without_headers_gets_none_added(handler, test_server_url):
    sent = (await _echo(handler, test_server_url))["headers"]
    assert not {"Accept", "Accept-Encoding", "User-Agent", "Content-Type"} & set(sent)
    assert sent["Host"].startswith("127.0.0.1:")


async def test_a_request_missing_one_default_header_gets_only_its_own(handler, test_server_url):
    sent = (await _echo(handler, test_server_url, headers={"Accept": "text/html", "User-Agent": "bot"}))["headers"]
    assert sent["Accept"] == "text/html" and sent["User-Agent"] == "bot"
    assert "Accept-Encoding" not in sent


async def test_a_request_with_every_default_header_sends_its_values(handler, test_server_url):
    headers = {"Accept": "text/html", "Accept-Encoding": "identity", "User-Agent": "bot", "X-Extra": ["1", "2"]}
    sent = (await _echo(handler, test_server_url, headers=headers))["headers"]
    assert {name: sent[name] for name in ("Accept", "Accept-Encoding", "User-Agent")} == {
        "Accept": "text/html", "Accept-Encoding": "identity", "User-Agent": "bot"
    }
    assert sent["X-Extra"] == "1, 2"


async def test_a_body_is_sent_without_a_content_type_of_its_own(handler, test_server_url):
    headers = {"Accept": "*/*", "Accept-Encoding": "identity", "User-Agent": "bot"}
    echoed = await _echo(handler, test_server_url, method="POST", body=b"a=1", headers=headers)
    assert echoed["body"] == "a=1"
    assert "Content-Type" not in echoed["headers"]


async def test_response_headers_are_the_responses_own_and_bodies_arrive_whole(handler, test_server_url):
    response = await handler.download_request(Request(f"{test_server_url}/big?bytes=300000"))
    assert len(response.body) == 300000
    assert response.headers[b"Content-Length"] == b"300000"
    response.headers[b"X-Added"] = b"1"  # the response's own Headers, writable
    again = await handler.download_request(Request(f"{test_server_url}/big?bytes=10"))
    assert b"X-Added" not in again.headers and len(again.body) == 10
