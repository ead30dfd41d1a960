import logging

import pytest

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

URLSET = b"""
<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
  <!-- a comment -->
  <url>
    <loc> http://e.org/en/ </loc>
    <lastmod>2020-01-01</lastmod>
    <xhtml:link rel="alternate" hreflang="de" href="http://e.org/de/"/>
    <xhtml:link rel="alternate" hreflang="fr"/>
  </url>
  <url xmlns=""><loc>http://e.org/2</loc><priority /></url>
  <url><lastmod>2020-01-01</lastmod></url>
</urlset>
"""


def test_urlset_entries():
    sitemap = Sitemap(URLSET)
    assert sitemap.type == "urlset"
    assert list(sitemap) == [
        {"loc": "http://e.org/en/", "lastmod": "2020-01-01", "alternate": ["http://e.org/de/"]},
        {"loc": "http://e.org/2", "priority": ""},
    ]


def test_sitemap_index():
    sitemap = Sitemap(
        b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>http://e.org/a.xml.gz</loc></sitemap>"
        b"<sitemap><loc>http://e.org/b.xml</loc></sitemap></sitemapindex>"
    )
    assert sitemap.type == "sitemapindex"
    assert [entry["loc"] for entry in sitemap] == ["http://e.org/a.xml.gz", "http://e.org/b.xml"]


def test_entities_are_not_expanded():
    body = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
        <urlset><url><loc>http://e.org/&xxe;</loc></url></urlset>"""
    assert list(Sitemap(body)) == [{"loc": "http://e.org/"}]


def test_broken_markup_is_recovered():
    cut_off = b"<urlset><url><loc>http://e.org/</loc></url><url><loc>http://e.org/2"
    assert list(Sitemap(cut_off)) == [{"loc": "http://e.org/"}, {"loc": "http://e.org/2"}]
    assert list(Sitemap(b"<url>&k;")) == []


def test_str_input_is_deprecated():
    with pytest.warns(ScrapyDeprecationWarning, match="`xmltext`"):
        sitemap = Sitemap("<urlset><url><loc>http://e.org/</loc></url></urlset>")
    assert list(sitemap) == [{"loc": "http://e.org/"}]


ROBOTS = b"""User-agent: *
Disallow: /private/
Sitemap: http://e.org/sitemap.xml
  sitemap: /relative.xml
SITEMAP:HTTP://e.org/upper.xml
Sitemap: http://e.org/\xff.xml
"""


def test_sitemap_urls_from_robots(caplog):
    with caplog.at_level(logging.DEBUG, logger="scrapy.utils.sitemap"):
        assert list(sitemap_urls_from_robots(ROBOTS, base_url="http://e.org/robots.txt")) == [
            "http://e.org/sitemap.xml",
            "http://e.org/relative.xml",
            "http://e.org/upper.xml",
        ]
    assert "Sitemap line that is not UTF-8: b'Sitemap: http://e.org/\\xff.xml'" in caplog.text


def test_sitemap_urls_from_robots_str_is_deprecated():
    with pytest.warns(ScrapyDeprecationWarning, match="`robots_text`"):
        urls = list(sitemap_urls_from_robots("Sitemap: /s.xml\n", base_url="http://e.org/"))
    assert urls == ["http://e.org/s.xml"]
