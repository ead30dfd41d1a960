import logging
import pickle
import random
import re
from urllib.parse import urljoin, urlparse

import pytest
from w3lib.url import safe_url_string

from ascrapy.http import HtmlResponse, XmlResponse
from ascrapy.link import Link
from ascrapy.linkextractors import IGNORED_EXTENSIONS, LinkExtractor
from ascrapy.utils._fasturl import netloc_and_path, simple_link_url, url_hostname
from ascrapy.linkextractors.lxmlhtml import LxmlLinkExtractor, LxmlParserLinkExtractor

PAGE = b"""<html><head><base href="http://example.com/dir/"></head><body>
<div id="nav">
  <a href="/">Home</a>
  <a href="page.html">A <b>bold</b> page</a>
  <area href="area.html">
</div>
<div id="content">
  <a href="http://other.org/x" rel="External NoFollow">Other</a>
  <a href="page.html">again</a>
  <a href="page.html#frag">fragment</a>
  <a href=" spaced page.html ">spaced</a>
  <a href="photo.JPG">photo</a>
  <a href="mailto:me@example.com">mail</a>
  <a href="javascript:void(0)">js</a>
  <a href="http://[bad/x">bad</a>
  <a>no href</a>
  <img src="img.png">
  <span data-url="/data">data</span>
</div>
</body></html>"""


def extract(**kwargs):
    response = HtmlResponse("http://example.com/dir/index.html", body=PAGE)
    return LinkExtractor(**kwargs).extract_links(response)


def urls(**kwargs):
    return [link.url for link in extract(**kwargs)]


def test_link_extractor_is_the_lxml_one():
    assert LinkExtractor is LxmlLinkExtractor
    assert "jpg" in IGNORED_EXTENSIONS and "tar.gz" in IGNORED_EXTENSIONS


def test_default_extraction_resolves_filters_and_deduplicates():
    assert extract() == [
        Link("http://example.com/", "Home"),
        Link("http://example.com/dir/page.html", "A bold page"),
        Link("http://example.com/dir/area.html", ""),
        Link("http://other.org/x", "Other", nofollow=True),
        Link("http://example.com/dir/page.html#frag", "fragment"),
        Link("http://example.com/dir/spaced%20page.html", "spaced"),
    ]


def test_malformed_urls_are_skipped_with_a_debug_line(caplog):
    with caplog.at_level(logging.DEBUG, logger="scrapy.linkextractors.lxmlhtml"):
        assert "http://[bad/x" not in " ".join(urls(deny_extensions=[]))
    assert "Skipping extraction of link with bad URL 'http://[bad/x'" in caplog.text


def test_unique_false_keeps_repeats():
    assert urls(unique=False).count("http://example.com/dir/page.html") == 2


def test_canonicalize_rewrites_urls_and_deduplicates_after():
    found = urls(canonicalize=True, allow="page")
    assert found == ["http://example.com/dir/page.html", "http://example.com/dir/spaced%20page.html"]


def test_allow_deny_and_domains():
    assert urls(allow=r"page\.html$") == ["http://example.com/dir/page.html", "http://example.com/dir/spaced%20page.html"]
    assert urls(allow="page", deny="spaced|#") == ["http://example.com/dir/page.html"]
    assert urls(allow_domains="other.org") == ["http://other.org/x"]
    assert "http://other.org/x" not in urls(deny_domains=["OTHER.org"])
    assert urls(allow=[re.compile("AREA", re.I)]) == ["http://example.com/dir/area.html"]


def test_deny_extensions():
    assert "http://example.com/dir/photo.JPG" in urls(deny_extensions=[])
    assert "http://example.com/dir/area.html" not in urls(deny_extensions="html")


def test_restrict_xpaths_css_and_text():
    assert urls(restrict_xpaths='//div[@id="nav"]') == [
        "http://example.com/",
        "http://example.com/dir/page.html",
        "http://example.com/dir/area.html",
    ]
    # Regions are deduplicated together; text restriction applies to the anchor text.
    assert urls(restrict_css=["#nav", "#content"], restrict_text="bold|again") == ["http://example.com/dir/page.html"]
    assert urls(restrict_xpaths='//a[@href="/"]/@href') == []  # attribute hits hold no elements


def test_tags_and_attrs():
    assert urls(tags="span", attrs="data-url") == ["http://example.com/data"]
    assert urls(tags=("img",), attrs="src", deny_extensions=()) == ["http://example.com/dir/img.png"]
    assert urls(tags=None) == []
    assert urls(tags=("", "area")) == ["http://example.com/dir/area.html"]  # "" matches nothing
    assert urls(attrs=None) == []
    wildcard = urls(tags="*", attrs="*", deny_extensions=())
    assert "http://example.com/data" in wildcard and "http://example.com/dir/img.png" in wildcard
    assert "http://example.com/data" not in urls(tags="*", attrs="*", deny_attrs="data-url")
    assert "http://example.com/dir/area.html" not in urls(tags="*", deny_tags="area")


def test_process_value_and_strip():
    def from_js(value):
        match = re.search(r"goto\('(.*?)'\)", value)
        return match.group(1) if match else None

    body = b"""<a href="javascript:goto('../other.html')">js</a><a href="/plain">plain</a>"""
    response = HtmlResponse("http://e.org/a/b.html", body=body)
    assert LinkExtractor(process_value=from_js).extract_links(response) == [Link("http://e.org/other.html", "js")]

    response = HtmlResponse("http://e.org/", body=b'<a href="p.html  ">x</a>')
    keep_unstripped = lambda url: url if url.endswith(" ") else None  # noqa: E731
    assert LinkExtractor(strip=False, process_value=keep_unstripped).extract_links(response) == [
        Link("http://e.org/p.html", "x")
    ]
    assert LinkExtractor(process_value=keep_unstripped).extract_links(response) == []


def test_xhtml_as_xml():
    body = b"""<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>
        <a href="/x" rel="nofollow">X</a><area href="/y"/></body></html>"""
    response = XmlResponse("http://e.org/index.xhtml", body=body)
    assert LinkExtractor().extract_links(response) == [Link("http://e.org/x", "X", nofollow=True), Link("http://e.org/y")]


def test_page_encoding_is_used_for_queries():
    body = '<a href="/q?\u00e9=1">q</a>'.encode("latin1")
    response = HtmlResponse("http://e.org/", body=body, encoding="latin1")
    assert urls_of(response) == ["http://e.org/q?%E9=1"]


def urls_of(response, **kwargs):
    return [link.url for link in LinkExtractor(**kwargs).extract_links(response)]


def test_link_text_does_not_keep_the_document_alive():
    (link,) = extract(restrict_css="#nav", allow="page")
    assert type(link.text) is str


def test_matches():
    lx = LinkExtractor(allow="keep", deny="drop", allow_domains="a.com", deny_domains="b.a.com")
    assert lx.matches("http://a.com/keep")
    assert not lx.matches("http://a.com/keep/drop")
    assert not lx.matches("http://b.a.com/keep")
    assert not lx.matches("http://c.com/keep")


def test_link_allowed_rejects_unfetchable_schemes():
    lx = LinkExtractor()
    assert not lx._link_allowed(Link(""))
    assert not lx._link_allowed(Link("htp://x.org"))
    assert lx._link_allowed(Link("ftp://x.org/"))


def test_pickle():
    lx = pickle.loads(pickle.dumps(LinkExtractor(allow="x", tags="*", deny_tags="img")))
    assert isinstance(lx, LxmlLinkExtractor)
    response = HtmlResponse("http://e.org/", body=b'<img href="/x"><p href="/x2">p</p>')
    assert lx.extract_links(response) == [Link("http://e.org/x2", "p")]


def test_parser_link_extractor_with_predicates_and_canonical_dedup():
    body = b'<a href="/p?b=2&amp;a=1">1</a><a href="/p?a=1&amp;b=2">2</a><link href="/css">'
    response = HtmlResponse("http://e.org/", body=body)
    lx = LxmlParserLinkExtractor(tag=lambda tag: tag in {"a", "link"}, attr=lambda name: name == "href", unique=True)
    assert lx.extract_links(response) == [Link("http://e.org/p?b=2&a=1", "1"), Link("http://e.org/css")]
    assert len(LxmlParserLinkExtractor().extract_links(response)) == 2


# -- the shortcut for simple URLs must agree with urljoin + safe_url_string + urljoin --

def _full_computation(base, response_url, value):
    try:
        url = safe_url_string(urljoin(base, value))
    except ValueError:
        return None
    return urljoin(response_url, url)


_PIECES = list("aZ09/.-_~%!$&'()*+,;=:@?#") + ["/..", "/.", "//", "?#", "%2F", "\u00e9", " ", "\t", "[", "\\"]
_HOSTS = ["e.org", "E.org", "127.0.0.1:45123", "a-b.c", "xn--i-7iq.ws", "u_s.x", "a..b", "h:8080", "h:65535", "h:65536", "h:99999", "h:080", "u@h"]
_BASES = ["http://e.org/a/b.html", "https://e.org", "http://e.org:8000/x?y#z", "http://E.org/", "file:///tmp/x", "http://h:65536/", "http://127.0.0.1:45123/"]


@pytest.mark.parametrize("seed", range(3))
def test_simple_url_shortcut_agrees_with_the_full_computation(seed):
    rng = random.Random(seed)
    shortcut_taken = 0
    for _ in range(20000):
        tail = "".join(rng.choice(_PIECES) for _ in range(rng.randrange(8)))
        if rng.random() < 0.5:
            value = "/" + tail
        else:
            value = rng.choice(["http://", "https://", "HTTP://"]) + rng.choice(_HOSTS) + rng.choice(["", "/", "?"]) + tail
        base, response_url = rng.choice(_BASES), rng.choice(_BASES)
        fast = simple_link_url(base, value)
        if fast is None:
            continue
        shortcut_taken += 1
        assert fast == _full_computation(base, response_url, value), (base, response_url, value)
        parsed = urlparse(fast)
        assert netloc_and_path(fast) == (parsed.netloc, parsed.path)
    assert shortcut_taken > 1000


def test_simple_url_shortcut_declines_what_it_cannot_prove():
    assert simple_link_url("http://e.org/", "page.html") is None  # document-relative
    assert simple_link_url("http://e.org/", "/a/../b") is None
    assert simple_link_url("http://e.org/", "/a;jsessionid=1") is None
    assert simple_link_url("http://E.ORG/", "/a") is None
    assert simple_link_url("http://e.org/", "/a b") is None
    assert simple_link_url("http://e.org/", "http://e.org?q=1") is None
    assert simple_link_url("http://e.org/", "/a") == "http://e.org/a"
    assert simple_link_url("http://e.org:8080/x/y", "/a?b=c#d") == "http://e.org:8080/a?b=c#d"


@pytest.mark.parametrize("seed", range(2))
def test_url_hostname_agrees_with_urlparse(seed):
    rng = random.Random(seed)
    for _ in range(5000):
        tail = "".join(rng.choice(_PIECES) for _ in range(rng.randrange(6)))
        url = rng.choice(["http://", "https://", "HTTP://", "ftp://", "data:", ""]) + rng.choice(_HOSTS) + "/" + tail
        assert url_hostname(url) == (urlparse(url).hostname or ""), url
