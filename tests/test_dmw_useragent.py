from ascrapy.http import Request
from ascrapy.middleware.downloader.useragent import UserAgentMiddleware

from .mw_helpers import build


def test_setting_used_unless_header_set():
    mw, _ = build(UserAgentMiddleware, {"USER_AGENT": "agent/1"})
    request = Request("http://example.com/")
    assert mw.process_request(request) is None
    assert request.headers["User-Agent"] == b"agent/1"
    own = Request("http://example.com/", headers={"User-Agent": "mine"})
    mw.process_request(own)
    assert own.headers["User-Agent"] == b"mine"


def test_no_agent_when_setting_empty():
    mw, _ = build(UserAgentMiddleware, {"USER_AGENT": None})
    request = Request("http://example.com/")
    mw.process_request(request)
    assert "User-Agent" not in request.headers


def test_default_agent_names_ascrapy():
    mw, _ = build(UserAgentMiddleware)
    request = Request("http://example.com/")
    mw.process_request(request)
    assert request.headers["User-Agent"].startswith(b"ascrapy/")
