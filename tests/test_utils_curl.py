import warnings

import pytest
from w3lib.http import basic_auth_header

from ascrapy.http import Request
from ascrapy.utils.curl import curl_to_request_kwargs


def test_plain_get_and_missing_scheme():
    assert curl_to_request_kwargs("curl http://example.org/") == {"method": "GET", "url": "http://example.org/"}
    assert curl_to_request_kwargs("curl example.org")["url"] == "http://example.org"


def test_headers_cookies_and_auth():
    kwargs = curl_to_request_kwargs(
        "curl 'http://example.org/' -H 'Accept: text/html' -H 'Cookie: a=1; b=2' "
        "-b 'c=3' -b cookies.txt -u 'user:pa:ss' --compressed -s"
    )
    assert kwargs == {
        "method": "GET",
        "url": "http://example.org/",
        "headers": [("Accept", "text/html"), ("Authorization", basic_auth_header("user", "pa:ss"))],
        "cookies": {"a": "1", "b": "2", "c": "3"},
    }


def test_data_makes_a_post_unless_a_method_is_given():
    assert curl_to_request_kwargs("curl http://e.org -d a=1")["method"] == "POST"
    kwargs = curl_to_request_kwargs("curl http://e.org -X put --data a=1")
    assert kwargs["method"] == "PUT"
    assert kwargs["body"] == "a=1"


def test_repeated_data_is_joined_and_bash_dollar_quoting_dropped():
    kwargs = curl_to_request_kwargs("curl http://e.org -d a=1 --data-raw $'b=2' --data c=3")
    assert kwargs["body"] == "a=1&b=2&c=3"


def test_unknown_options_warn_or_raise():
    with pytest.warns(UserWarning, match="Unrecognized options: --foo"):
        assert curl_to_request_kwargs("curl --foo http://e.org")["url"] == "http://e.org"
    with pytest.raises(ValueError, match="Unrecognized options: --foo, --bar"):
        curl_to_request_kwargs("curl --foo --bar http://e.org", ignore_unknown_options=False)


def test_parse_errors_are_value_errors():
    with pytest.raises(ValueError, match="A curl command must start"):
        curl_to_request_kwargs("wget http://e.org")
    with pytest.raises(ValueError, match="error parsing the curl command"):
        curl_to_request_kwargs("curl")


def test_request_from_curl_uses_it():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        request = Request.from_curl("curl http://e.org/p -X PATCH -H 'X-Token: t' -d '{}'", meta={"k": 1})
    assert (request.method, request.url, request.body) == ("PATCH", "http://e.org/p", b"{}")
    assert request.headers[b"X-Token"] == b"t"
    assert request.meta == {"k": 1}
