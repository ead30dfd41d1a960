import logging

import pytest

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.http import Response, TextResponse, XmlResponse
from ascrapy.utils.iterators import _body_or_str, csviter, xmliter, xmliter_lxml

FEED = b"""
    <?xml version="1.0" encoding="UTF-8"?>
    <rss xmlns:g="http://base.google.com/ns/1.0">
      <item id="1"><title>One</title><g:price>10</g:price></item>
      <item id="2"><title>Two</title><g:price>20</g:price></item>
      <other><item id="3"><title>Three</title></item></other>
    </rss>
"""


class TestXmliterLxml:
    def test_yields_each_node_with_leading_blank_lines(self):
        nodes = list(xmliter_lxml(XmlResponse("http://e.org", body=FEED), "item"))
        assert [n.attrib["id"] for n in nodes] == ["1", "2", "3"]
        assert nodes[0].xpath("title/text()").get() == "One"
        assert nodes[2].get() == '<item id="3"><title>Three</title></item>'

    def test_namespaced_children_after_registering_the_prefix(self):
        node = next(xmliter_lxml(FEED, "item"))
        node.register_namespace("g", "http://base.google.com/ns/1.0")
        assert node.xpath("g:price/text()").get() == "10"
        assert node.xpath("price/text()").get() is None

    def test_prefixed_node_name_resolves_from_the_document(self):
        prices = [n.xpath("text()").get() for n in xmliter_lxml(FEED, "g:price")]
        assert prices == ["10", "20"]
        assert list(xmliter_lxml(FEED, "g:missing")) == []

    def test_namespace_argument_and_prefix(self):
        body = b'<root xmlns="http://ns"><row><c>1</c></row><row><c>2</c></row></root>'
        assert list(xmliter_lxml(body, "row")) == []
        rows = list(xmliter_lxml(body, "row", namespace="http://ns", prefix="n"))
        assert [r.xpath("n:c/text()").get() for r in rows] == ["1", "2"]

    def test_response_encoding_is_used(self):
        body = '<?xml version="1.0" encoding="ISO-8859-9"?><x><item>\u015e\u0130</item></x>'.encode("iso-8859-9")
        node = next(xmliter_lxml(XmlResponse("http://e.org", body=body), "item"))
        assert node.xpath("text()").get() == "\u015e\u0130"

    def test_str_and_binary_response_inputs(self):
        text = "<l><item>\u00e9</item></l>"
        assert next(xmliter_lxml(text, "item")).xpath("text()").get() == "\u00e9"
        response = Response("http://e.org", body=text.encode())
        assert next(xmliter_lxml(response, "item")).xpath("text()").get() == "\u00e9"

    def test_entities_are_not_resolved(self):
        body = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
            <x><item>&e;</item></x>"""
        node = next(xmliter_lxml(body, "item"))
        assert "root:" not in node.get()

    def test_bad_input_type(self):
        with pytest.raises(TypeError, match="must be Response or str or bytes, not int"):
            next(xmliter_lxml(42, "item"))

    def test_old_xmliter_warns_and_delegates(self):
        with pytest.warns(ScrapyDeprecationWarning, match="xmliter_lxml"):
            nodes = list(xmliter(FEED, "item"))
        assert len(nodes) == 3


class TestCsviter:
    CSV = b'id,name,value\n1,alpha,foobar\n2,unicode,\xc3\xban\xc3\xadc\xc3\xb3d\xc3\xa9\n3,multi,"foo\nbar"\n4,empty,\n'

    def test_rows_as_dicts_from_the_header_row(self):
        rows = list(csviter(TextResponse("http://e.org", body=self.CSV, encoding="utf-8")))
        assert rows[0] == {"id": "1", "name": "alpha", "value": "foobar"}
        assert rows[1]["value"] == "\xfan\xedc\xf3d\xe9"
        assert rows[2]["value"] == "foo\nbar"
        assert len(rows) == 4

    def test_delimiter_quotechar_and_given_headers(self):
        body = "1|'a|b'\n2|c\n"
        assert list(csviter(body, delimiter="|", quotechar="'", headers=["n", "v"])) == [
            {"n": "1", "v": "a|b"},
            {"n": "2", "v": "c"},
        ]

    def test_response_encoding(self):
        response = TextResponse("http://e.org", body="id,v\n1,\xf1\n".encode("latin1"), encoding="latin1")
        assert list(csviter(response)) == [{"id": "1", "v": "\xf1"}]

    def test_rows_of_the_wrong_length_are_skipped_and_logged(self, caplog):
        with caplog.at_level(logging.WARNING, logger="scrapy.utils.iterators"):
            rows = list(csviter("a,b\n1,2\n1\n1,2,3\n3,4\n"))
        assert rows == [{"a": "1", "b": "2"}, {"a": "3", "b": "4"}]
        assert "ignoring row 3 (length: 1, should be: 2)" in caplog.text

    def test_empty_input(self):
        assert list(csviter("")) == []

    def test_encoding_argument_is_deprecated(self):
        with pytest.warns(ScrapyDeprecationWarning):
            list(csviter("a\n1\n", encoding="utf-8"))


@pytest.mark.parametrize(
    "obj",
    [b"body", "body", TextResponse("http://e.org", body=b"body", encoding="utf-8"), Response("http://e.org", body=b"body")],
)
def test_body_or_str(obj):
    assert _body_or_str(obj) == "body"
    assert _body_or_str(obj, unicode=False) == b"body"


def test_body_or_str_rejects_other_types():
    with pytest.raises(TypeError, match="must be Response or str or bytes, not int"):
        _body_or_str(42)
