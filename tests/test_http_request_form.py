"""FormRequest: url-encoded form data, and requests built from HTML forms."""

from urllib.parse import parse_qs, urlsplit

import pytest

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.http import FormRequest, HtmlResponse

pytestmark = pytest.mark.filterwarnings("ignore::ascrapy.exceptions.ScrapyDeprecationWarning")


def _page(html: str, url: str = "http://example.com/dir/page.html", encoding: str = "utf-8") -> HtmlResponse:
    return HtmlResponse(url, body=html.encode(encoding), encoding=encoding)


def _fields(request: FormRequest) -> dict[str, list[str]]:
    query = request.body.decode() if request.method == "POST" else urlsplit(request.url).query
    return parse_qs(query, keep_blank_values=True)


def test_formdata_makes_a_urlencoded_post():
    request = FormRequest("http://x.com", formdata={"a": "1", "b": ["2", "3"]})
    assert request.method == "POST"
    assert request.headers["Content-Type"] == b"application/x-www-form-urlencoded"
    assert request.body == b"a=1&b=2&b=3"


def test_formdata_with_get_replaces_the_query():
    request = FormRequest("http://x.com/s?old=1#frag", method="GET", formdata=[("q", "a b")])
    assert request.url == "http://x.com/s?q=a+b#frag"
    assert request.body == b""


def test_formdata_uses_the_request_encoding():
    assert FormRequest("http://x.com", formdata={"p": "£"}).body == b"p=%C2%A3"
    assert FormRequest("http://x.com", formdata={"p": "£"}, encoding="latin1").body == b"p=%A3"
    assert FormRequest("http://x.com", formdata={b"k\xa3": b"\xa3"}, encoding="latin1").body == b"k%A3=%A3"


def test_empty_formdata_changes_nothing():
    request = FormRequest("http://x.com", formdata={})
    assert (request.method, request.body) == ("GET", b"")
    assert "Content-Type" not in request.headers


def test_from_response_is_deprecated():
    with pytest.warns(ScrapyDeprecationWarning, match=r"FormRequest\.from_response\(\)"):
        FormRequest.from_response(_page('<form action="/go"></form>'))


def test_from_response_submits_what_a_browser_would():
    page = _page(
        """<form action="submit.php" method="post">
        <input type="hidden" name="token" value="t1">
        <input type="text" name="empty">
        <input type="checkbox" name="unchecked" value="no">
        <input type="checkbox" name="checked" value="yes" checked>
        <input type="radio" name="r" value="1"><input type="radio" name="r" value="2" checked>
        <select name="s"><option value="a">A</option><option value="b" selected>B</option></select>
        <select name="first"><option value="f1">1</option><option value="f2">2</option></select>
        <textarea name="t">text</textarea>
        <input type="reset" name="reset" value="r">
        <input type="submit" name="go" value="Go"><input type="submit" name="other" value="O">
        </form>"""
    )
    request = FormRequest.from_response(page)
    assert request.method == "POST"
    assert request.url == "http://example.com/dir/submit.php"
    assert _fields(request) == {
        "token": ["t1"],
        "empty": [""],
        "checked": ["yes"],
        "r": ["2"],
        "s": ["b"],
        "first": ["f1"],
        "t": ["text"],
        "go": ["Go"],
    }


def test_from_response_formdata_overrides_and_drops_fields():
    page = _page(
        '<form><input name="a" value="1"><input name="b" value="2"><input name="c" value="3"></form>'
    )
    request = FormRequest.from_response(page, formdata={"a": "new", "b": None, "d": ["x", "y"]})
    assert request.method == "GET"
    assert _fields(request) == {"a": ["new"], "c": ["3"], "d": ["x", "y"]}


def test_from_response_clickdata_and_dont_click():
    page = _page(
        '<form><input type="submit" name="one" value="1"><input type="image" name="two" value="2"></form>'
    )
    assert _fields(FormRequest.from_response(page, clickdata={"name": "two"})) == {"two": ["2"]}
    assert _fields(FormRequest.from_response(page, clickdata={"nr": 1})) == {"two": ["2"]}
    assert _fields(FormRequest.from_response(page, dont_click=True)) == {}
    with pytest.raises(ValueError, match="No clickable element matching clickdata"):
        FormRequest.from_response(page, clickdata={"name": "three"})


def test_from_response_ambiguous_clickdata():
    page = _page(
        '<form><input type="submit" name="x" value="1"><input type="submit" name="x" value="2"></form>'
    )
    with pytest.raises(ValueError, match="Multiple elements found"):
        FormRequest.from_response(page, clickdata={"name": "x"})


def test_from_response_button_without_type_submits():
    page = _page('<form><button name="b" value="v">Send</button></form>')
    assert _fields(FormRequest.from_response(page)) == {"b": ["v"]}


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"formname": "second"}, "2"),
        ({"formid": "third"}, "3"),
        ({"formnumber": 1}, "2"),
        ({"formxpath": '//input[@value="3"]'}, "3"),
        ({"formcss": "#third input"}, "3"),
        ({"formname": "missing", "formid": "third"}, "3"),
        ({"formname": "missing"}, "1"),
    ],
)
def test_from_response_chooses_the_form(kwargs, expected):
    page = _page(
        '<form name="first"><input name="f" value="1"></form>'
        '<form name="second"><input name="f" value="2"></form>'
        '<form id="third"><input name="f" value="3"></form>'
    )
    assert _fields(FormRequest.from_response(page, **kwargs)) == {"f": [expected]}


def test_from_response_form_lookup_errors():
    with pytest.raises(ValueError, match="No <form> element found in"):
        FormRequest.from_response(_page("<p>no form</p>"))
    page = _page("<form></form><p id='out'></p>")
    with pytest.raises(IndexError, match="Form number 3 not found"):
        FormRequest.from_response(page, formnumber=3)
    with pytest.raises(ValueError, match="No <form> element found with //p"):
        FormRequest.from_response(page, formxpath="//p")


def test_from_response_rejects_bad_formdata():
    with pytest.raises(ValueError, match="formdata should be a dict or iterable of tuples"):
        FormRequest.from_response(_page("<form></form>"), formdata=(("a", "b", "c"),))


def test_from_response_url_method_and_encoding():
    page = _page(
        '<base href="http://other.com/base/"><form action=" go " method="PUT"></form>', encoding="latin1"
    )
    request = FormRequest.from_response(page, formdata={"p": "£"})
    assert request.url == "http://other.com/base/go?p=%A3"
    assert request.method == "GET"  # only GET and POST are form methods
    assert request.encoding == "latin1"
    overridden = FormRequest.from_response(page, url="/elsewhere", method="post")
    assert (overridden.url, overridden.method) == ("http://other.com/elsewhere", "POST")
