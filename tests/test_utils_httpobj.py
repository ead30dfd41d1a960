"""urlparse_cached: one parse per request or response."""

import gc

from ascrapy.http import Request, Response
from ascrapy.utils.httpobj import _urlparse_cache, urlparse_cached


def test_parses_once_per_object():
    request = Request("https://user@x.com:8080/p?q=1#f")
    parsed = urlparse_cached(request)
    assert (parsed.scheme, parsed.hostname, parsed.port, parsed.query) == ("https", "x.com", 8080, "q=1")
    assert urlparse_cached(request) is parsed
    assert urlparse_cached(Response("http://y.com/")).netloc == "y.com"


def test_entries_go_away_with_their_object():
    request = Request("http://x.com/gone")
    parsed = urlparse_cached(request)
    assert request in _urlparse_cache
    del request
    gc.collect()
    # Other tests' objects may go in the same collection: look for this entry only.
    assert all(value is not parsed for value in _urlparse_cache.values())
