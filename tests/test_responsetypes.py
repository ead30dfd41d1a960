"""ResponseTypes: the Response class chosen from headers, names and bodies."""

import pytest

from ascrapy.http import Headers, HtmlResponse, JsonResponse, Response, TextResponse, XmlResponse
from ascrapy.responsetypes import ResponseTypes, responsetypes


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("text/html; charset=utf-8", HtmlResponse),
        ("TEXT/HTML", HtmlResponse),
        ("application/xhtml+xml", HtmlResponse),
        ("application/rss+xml", XmlResponse),
        ("text/xml", XmlResponse),
        ("application/json; charset=utf-8", JsonResponse),
        ("application/x-javascript", TextResponse),
        ("text/csv", TextResponse),
        ("image/png", Response),
        ("application/octet-stream", Response),
        (b"application/x-download; filename=\x80a.txt", Response),
    ],
)
def test_from_content_type(content_type, expected):
    assert responsetypes.from_content_type(content_type) is expected


def test_encoded_content_stays_binary():
    assert responsetypes.from_content_type("text/html", content_encoding=b"gzip") is Response


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("page.html", HtmlResponse),
        ("feed.rss", XmlResponse),
        ("data.json", JsonResponse),
        ("notes.txt", TextResponse),
        ("script.py", TextResponse),
        ("setup.bat", Response),
        ("archive.xml.gz", Response),
        ("image.png", Response),
        ("file.unknownext", Response),
        ("x.scrapytest", Response),
    ],
)
def test_from_filename(filename, expected):
    assert responsetypes.from_filename(filename) is expected


def test_results_do_not_depend_on_the_host_mime_types():
    assert ResponseTypes().mimetypes.guess_type("x.scrapytest")[0] == "x-scrapy/test"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b'attachment; filename="data.xml"', XmlResponse),
        ("attachment; filename=report.html", HtmlResponse),
        (b"attachment", Response),
        ("attachment;filename=data\u00a3.tar.gz".encode(), Response),
    ],
)
def test_from_content_disposition(value, expected):
    assert responsetypes.from_content_disposition(value) is expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"\x00\x01\x02binary", Response),
        (b"just some text\twith a tab", TextResponse),
        (b"<HTML><body>", HtmlResponse),
        (b"<!doctype html><title>t</title>", HtmlResponse),
        (b'<?xml version="1.0"?><rss/>', XmlResponse),
    ],
)
def test_from_body(body, expected):
    assert responsetypes.from_body(body) is expected


def test_from_headers_falls_back_to_content_disposition():
    headers = Headers(
        {"Content-Type": "application/octet-stream", "Content-Disposition": "attachment; filename=a.csv"}
    )
    assert responsetypes.from_headers(headers) is TextResponse


def test_from_args_precedence():
    html_headers = Headers({"Content-Type": "text/html"})
    assert responsetypes.from_args(headers=html_headers, url="http://x.com/a.xml") is HtmlResponse
    assert responsetypes.from_args(headers=Headers(), url="http://x.com/a.xml", body=b"<html>") is XmlResponse
    assert responsetypes.from_args(url="http://x.com/a", filename="a.json") is JsonResponse
    assert responsetypes.from_args(url="http://x.com/a", body=b"<html>") is HtmlResponse
    assert responsetypes.from_args() is Response
