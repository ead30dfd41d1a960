"""Request fingerprints: Scrapy's exact digests, their rules and their cache."""

import gc

import pytest

from ascrapy.fingerprint import RequestFingerprinter, _fingerprint_cache, fingerprint
from ascrapy.http import Request

# Digests computed with Scrapy 2.19.0 for the same requests.
SCRAPY_DIGESTS = [
    (Request("http://www.example.com/shop?b=2&a=1"), {}, "cc0cb7d26655314fb169bc2ce640f01ba36438dd"),
    (
        Request("http://www.example.com/shop?a=1&b=2#top"),
        {"keep_fragments": True},
        "77ccb26c8564a02f52efbfd9f1254b667abe6504",
    ),
    (
        Request("https://example.net/api", method="PUT", body=b'{"x": 1}'),
        {},
        "c4f2bee818a1fcb171ecc627d36d8609f9a280ec",
    ),
    (
        Request("https://example.net/api", headers={"X-Token": "abc", "Accept": "a/b"}),
        {"include_headers": ["x-token"]},
        "12b449a5e715feb4cacdf8996f6bf47d8f07698c",
    ),
    (
        Request("http://example.com/%7Euser/ü", encoding="latin1"),
        {},
        "11f035c001df9ad8a23d3c80fa23cbc530f52710",
    ),
    (
        Request("http://example.com/Q?b=2&a=1", meta={"verbatim_url": True}),
        {},
        "0836addc88ac44414591316d847148559b2b713c",
    ),
    (Request("http://example.org"), {}, "7873d70c33756a15fed7649ba909e064bf9c5844"),
]


@pytest.mark.parametrize(("request_", "kwargs", "digest"), SCRAPY_DIGESTS)
def test_same_digest_as_scrapy(request_, kwargs, digest):
    assert fingerprint(request_, **kwargs).hex() == digest


def test_query_order_and_fragment_do_not_count():
    a = Request("http://x.com/p?a=1&b=2")
    b = Request("http://x.com/p?b=2&a=1#frag")
    assert fingerprint(a) == fingerprint(b)
    assert fingerprint(b) != fingerprint(b, keep_fragments=True)


def test_method_body_and_url_parts_count():
    base = Request("http://x.com/foo")
    assert fingerprint(base) != fingerprint(Request("http://x.com/foo", method="POST"))
    assert fingerprint(Request("http://x.com/f", body=b"oo")) != fingerprint(base)


def test_headers_count_only_when_included():
    plain = Request("http://x.com")
    with_header = Request("http://x.com", headers={"Accept-Language": "en", "Cookie": "s=1"})
    assert fingerprint(plain) == fingerprint(with_header)
    assert fingerprint(plain, include_headers=["Accept-Language"]) != fingerprint(
        with_header, include_headers=["Accept-Language"]
    )
    assert fingerprint(with_header, include_headers=["cookie", "accept-language"]) == fingerprint(
        with_header, include_headers=[b"Accept-Language", b"COOKIE"]
    )


def test_verbatim_url_is_not_canonicalised_and_keeps_its_fragment():
    a = Request("http://x.com/?a=1&b=2", meta={"verbatim_url": True})
    b = Request("http://x.com/?b=2&a=1", meta={"verbatim_url": True})
    assert fingerprint(a) != fingerprint(b)
    c = Request("http://x.com/#f", meta={"verbatim_url": True})
    assert fingerprint(c) == fingerprint(c, keep_fragments=True)
    assert fingerprint(c) != fingerprint(Request("http://x.com/", meta={"verbatim_url": True}))


def test_fingerprint_does_not_create_meta():
    request = Request("http://x.com")
    fingerprint(request)
    assert request._meta is None


def test_bodyless_requests_are_remembered_by_method_and_url():
    from ascrapy.fingerprint import RequestFingerprinter, _plain_memo

    first, again = Request("http://x.com/plain?b=2&a=1"), Request("http://x.com/plain?b=2&a=1")
    digest = fingerprint(first)
    assert _plain_memo[("GET", first.url, False, False)] is digest
    assert _fingerprint_cache[first][(None, False, False)] is digest  # Scrapy's per-request cache
    # The crawl's fingerprinter answers from the memo without a per-request entry.
    assert RequestFingerprinter().fingerprint(again) is digest
    assert again not in _fingerprint_cache
    assert fingerprint(Request("http://x.com/plain?a=1&b=2")) == digest  # canonical, recomputed


def test_digests_are_cached_per_request_and_released_with_it():
    request = Request("http://x.com/cached", method="POST", body=b"payload")
    digest = fingerprint(request)
    assert _fingerprint_cache[request][(None, False, False)] is digest
    assert fingerprint(request) is digest
    assert fingerprint(request.replace(url="http://x.com/other")) != digest
    entry = _fingerprint_cache[request]
    del request
    gc.collect()
    assert all(value is not entry for value in _fingerprint_cache.values())


def test_request_fingerprinter():
    fingerprinter = RequestFingerprinter.from_crawler(crawler=None)
    request = Request("http://x.com")
    assert fingerprinter.fingerprint(request) == fingerprint(request)
    assert len(fingerprinter.fingerprint(request)) == 20


def test_long_urls_are_canonicalised_too():
    padding = "x" * 3000
    a = Request(f"http://x.com/{padding}?b=2&a=1")
    b = Request(f"http://x.com/{padding}?a=1&b=2")
    assert fingerprint(a) == fingerprint(b)


def test_the_plain_memo_stays_bounded_and_right_past_its_size():
    from ascrapy import fingerprint as module

    fingerprinter = module.RequestFingerprinter()
    urls = [f"http://x.com/many/{n}" for n in range(module._plain_memo.size + 10)]
    digests = [fingerprinter.fingerprint(Request(url)) for url in urls]
    assert len(module._plain_memo) <= module._plain_memo.size
    assert len(set(digests)) == len(urls)
    for url, digest in zip(urls[:5] + urls[-5:], digests[:5] + digests[-5:]):
        assert fingerprinter.fingerprint(Request(url)) == digest == fingerprint(Request(url))
