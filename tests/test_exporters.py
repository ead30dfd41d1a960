"""Item exporters: the exact bytes of each format, options, and batch export.

The expected bytes below are what Scrapy 2.19.0's exporters write for the same items.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import gc
import io
import logging
import marshal
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from ascrapy.exporters import (
    BaseItemExporter,
    CsvItemExporter,
    JsonItemExporter,
    JsonLinesItemExporter,
    MarshalItemExporter,
    PickleItemExporter,
    PprintItemExporter,
    PythonItemExporter,
    XmlItemExporter,
)
from ascrapy.http import Request
from ascrapy.item import Field, Item


class Product(Item):
    name = Field()
    price = Field()
    tags = Field()
    added = Field(serializer=lambda value: value.strftime("%d/%m/%Y"))


@dataclasses.dataclass
class Offer:
    shop: str
    amount: int = dataclasses.field(default=0, metadata={"serializer": lambda v: v * 100})


def sample_items() -> list[Any]:
    return [
        Product(name="Caf\xe9", price=decimal.Decimal("2.50"), tags=["hot", "small"]),
        {"name": "Tea & <milk>", "price": 1.5, "sizes": {"s": 1, "l": [2, 3]}},
    ]


def export(exporter_class: type[BaseItemExporter], items: list[Any], **options: Any) -> bytes:
    output = io.BytesIO()
    exporter = exporter_class(output, **options)
    exporter.start_exporting()
    for item in items:
        exporter.export_item(item)
    exporter.finish_exporting()
    return output.getvalue()


# -- exact bytes ----------------------------------------------------------------------

EXPECTED = [
    (JsonItemExporter, {}, b'[{"name": "Caf\\u00e9", "price": "2.50", "tags": ["hot", "small"]},'
     b'{"name": "Tea & <milk>", "price": 1.5, "sizes": {"s": 1, "l": [2, 3]}}]'),
    (JsonItemExporter, {"indent": 0}, b'[\n{"name": "Caf\\u00e9", "price": "2.50", "tags": ["hot", "small"]},\n'
     b'{"name": "Tea & <milk>", "price": 1.5, "sizes": {"s": 1, "l": [2, 3]}}\n]'),
    (JsonItemExporter, {"indent": 2}, b'[\n{\n  "name": "Caf\\u00e9",\n  "price": "2.50",\n  "tags": [\n'
     b'    "hot",\n    "small"\n  ]\n},\n{\n  "name": "Tea & <milk>",\n  "price": 1.5,\n  "sizes": {\n'
     b'    "s": 1,\n    "l": [\n      2,\n      3\n    ]\n  }\n}\n]'),
    (JsonLinesItemExporter, {}, b'{"name": "Caf\\u00e9", "price": "2.50", "tags": ["hot", "small"]}\n'
     b'{"name": "Tea & <milk>", "price": 1.5, "sizes": {"s": 1, "l": [2, 3]}}\n'),
    (JsonLinesItemExporter, {"encoding": "utf-8"}, b'{"name": "Caf\xc3\xa9", "price": "2.50", "tags": ["hot", "small"]}\n'
     b'{"name": "Tea & <milk>", "price": 1.5, "sizes": {"s": 1, "l": [2, 3]}}\n'),
    (CsvItemExporter, {}, b'name,price,tags,added\r\nCaf\xc3\xa9,2.50,"hot,small",\r\nTea & <milk>,1.5,,\r\n'),
    (XmlItemExporter, {}, b'<?xml version="1.0" encoding="utf-8"?>\n<items><item><name>Caf\xc3\xa9</name>'
     b"<price>2.50</price><tags><value>hot</value><value>small</value></tags></item><item>"
     b"<name>Tea &amp; &lt;milk&gt;</name><price>1.5</price><sizes><s>1</s><l><value>2</value>"
     b"<value>3</value></l></sizes></item></items>"),
    (XmlItemExporter, {"indent": 0}, b'<?xml version="1.0" encoding="utf-8"?>\n<items>\n<item>'
     b"<name>Caf\xc3\xa9</name><price>2.50</price><tags><value>hot</value><value>small</value></tags>"
     b"</item>\n<item><name>Tea &amp; &lt;milk&gt;</name><price>1.5</price><sizes><s>1</s><l>"
     b"<value>2</value><value>3</value></l></sizes></item>\n</items>"),
    (XmlItemExporter, {"indent": 2}, b'<?xml version="1.0" encoding="utf-8"?>\n<items>\n  <item>\n'
     b"    <name>Caf\xc3\xa9</name>\n    <price>2.50</price>\n    <tags>\n      <value>hot</value>\n"
     b"      <value>small</value>\n    </tags>\n  </item>\n  <item>\n"
     b"    <name>Tea &amp; &lt;milk&gt;</name>\n    <price>1.5</price>\n    <sizes>\n      <s>1</s>\n"
     b"      <l>\n        <value>2</value>\n        <value>3</value>\n      </l>\n    </sizes>\n"
     b"  </item>\n</items>"),
    (PprintItemExporter, {}, b"{'name': 'Caf\xc3\xa9', 'price': Decimal('2.50'), 'tags': ['hot', 'small']}\n"
     b"{'name': 'Tea & <milk>', 'price': 1.5, 'sizes': {'l': [2, 3], 's': 1}}\n"),
]


@pytest.mark.parametrize(("exporter_class", "options", "expected"), EXPECTED)
def test_bytes_match_scrapy(exporter_class, options, expected):
    assert export(exporter_class, sample_items(), **options) == expected


@pytest.mark.parametrize(("exporter_class", "options", "expected"), EXPECTED)
def test_export_items_writes_the_same_bytes_at_once(exporter_class, options, expected):
    class CountingBytesIO(io.BytesIO):
        writes = 0

        def write(self, data):  # type: ignore[override]
            self.writes += 1
            return super().write(data)

    output = CountingBytesIO()
    exporter = exporter_class(output, **options)
    exporter.start_exporting()
    before = output.writes
    exporter.export_items(sample_items() * 3)
    assert output.writes - before == 1
    exporter.finish_exporting()
    assert output.getvalue() == export(exporter_class, sample_items() * 3, **options)


@pytest.mark.parametrize(
    "exporter_class",
    [JsonItemExporter, JsonLinesItemExporter, CsvItemExporter, XmlItemExporter, PprintItemExporter],
)
@pytest.mark.parametrize("encoding", [None, "latin-1"])
def test_a_failing_item_in_a_batch_leaves_the_same_output(exporter_class, encoding):
    items: list[Any] = [{"a": "1"}, {"a": 1j}, {"a": "\u263a"}, {"a": "3"}]
    one_by_one, batched = io.BytesIO(), io.BytesIO()
    single = exporter_class(one_by_one, encoding=encoding)
    batch = exporter_class(batched, encoding=encoding)
    single.start_exporting()
    batch.start_exporting()
    for item in items:
        try:
            single.export_item(item)
        except (TypeError, UnicodeEncodeError):
            pass
    remaining = list(items)
    while remaining:
        try:
            batch.export_items(remaining)
            remaining = []
        except (TypeError, UnicodeEncodeError):
            failed = next(i for i, item in enumerate(remaining) if not _exports_alone(exporter_class, item, encoding))
            remaining = remaining[failed + 1 :]
    single.finish_exporting()
    batch.finish_exporting()
    assert batched.getvalue() == one_by_one.getvalue()


def _exports_alone(exporter_class: type[BaseItemExporter], item: Any, encoding: str | None) -> bool:
    try:
        exporter_class(io.BytesIO(), encoding=encoding).export_item(item)
    except (TypeError, UnicodeEncodeError):
        return False
    return True


def test_json_failure_leaves_no_stray_comma():
    output = io.BytesIO()
    exporter = JsonItemExporter(output)
    exporter.start_exporting()
    exporter.export_item({"a": 1})
    with pytest.raises(TypeError):
        exporter.export_item({"a": object()})
    exporter.export_item({"a": 2})
    exporter.finish_exporting()
    assert output.getvalue() == b'[{"a": 1},{"a": 2}]'


def test_json_encodes_dates_decimals_sets_requests_and_nested_items():
    item = {
        "when": datetime.datetime(2024, 2, 3, 4, 5, 6),
        "day": datetime.date(2024, 2, 3),
        "time": datetime.time(7, 8),
        "amount": decimal.Decimal("1.10"),
        "one_tag": {"x"},
        "request": Request("https://example.com/a", method="POST"),
        "offer": Offer("s", 2),
        "product": Product(name="p"),
    }
    assert export(JsonLinesItemExporter, [item]) == (
        b'{"when": "2024-02-03T04:05:06", "day": "2024-02-03", "time": "07:08:00", '
        b'"amount": "1.10", "one_tag": ["x"], "request": "<Request POST https://example.com/a>", '
        b'"offer": {"shop": "s", "amount": 2}, "product": {"name": "p"}}\n'
    )


def test_json_passes_other_options_to_the_encoder():
    assert export(JsonLinesItemExporter, [{"b": 1, "a": 2}], sort_keys=True) == b'{"a": 2, "b": 1}\n'
    with pytest.raises(TypeError):
        JsonLinesItemExporter(io.BytesIO(), not_an_option=True)


# -- field selection and serialization ------------------------------------------------


def test_fields_to_export_list_selects_and_orders():
    output = export(JsonLinesItemExporter, [Product(name="a", price=1, tags=[])], fields_to_export=["price", "name", "x"])
    assert output == b'{"price": 1, "name": "a"}\n'


def test_fields_to_export_dict_renames():
    output = export(JsonLinesItemExporter, [{"name": "a", "price": 1}], fields_to_export={"price": "Price", "nope": "N"})
    assert output == b'{"Price": 1}\n'


def test_export_empty_fields():
    assert export(JsonLinesItemExporter, [Product(name="a")], export_empty_fields=True) == (
        b'{"name": "a", "price": null, "tags": null, "added": null}\n'
    )
    assert export(JsonLinesItemExporter, [{"b": 1}], fields_to_export=["a", "b"], export_empty_fields=True) == (
        b'{"a": null, "b": 1}\n'
    )


def test_field_serializer_from_item_and_dataclass_metadata():
    item = Product(name="a", added=datetime.date(2024, 1, 31))
    assert export(JsonLinesItemExporter, [item]) == b'{"name": "a", "added": "31/01/2024"}\n'
    assert export(JsonLinesItemExporter, [Offer("s", 3)]) == b'{"shop": "s", "amount": 300}\n'


def test_serialize_field_override_applies_to_every_item_kind():
    class Upper(JsonLinesItemExporter):
        def serialize_field(self, field, name, value):
            return str(value).upper()

    output = export(Upper, [{"a": "x"}, Product(name="y"), Offer("z")])
    assert output == b'{"a": "X"}\n{"name": "Y"}\n{"shop": "Z", "amount": "0"}\n'


def test_declared_fields_come_first_then_undeclared_in_item_order():
    exporter = PythonItemExporter()
    assert list(exporter.export_item(Product(tags=[], name="n"))) == ["name", "tags"]
    assert list(exporter.export_item({"b": 1, "a": 2})) == ["b", "a"]


def test_unexpected_options_raise_for_strict_exporters():
    for exporter_class in (XmlItemExporter, PickleItemExporter, MarshalItemExporter, PprintItemExporter):
        with pytest.raises(TypeError, match="Unexpected options: colour"):
            exporter_class(io.BytesIO(), colour="red")
    with pytest.raises(TypeError, match="Unexpected options: colour, size"):
        PythonItemExporter(colour="red", size=1)


# -- CSV ------------------------------------------------------------------------------


def test_csv_options():
    item = {"name": "a", "tags": ["x", "y"], "raw": b"caf\xc3\xa9", "nums": [1, 2]}
    assert export(CsvItemExporter, [item], include_headers_line=False, join_multivalued="|", delimiter=";") == (
        "a;x|y;caf\xe9;[1, 2]\r\n".encode()
    )


def test_csv_columns_from_fields_to_export_dict():
    output = export(CsvItemExporter, [{"a": 1, "b": 2}], fields_to_export={"b": "B", "c": "C"})
    assert output == b"B,C\r\n2,\r\n"


def test_csv_encoding_errors():
    item = {"text": "W\u0275rd"}
    with pytest.raises(UnicodeEncodeError):
        export(CsvItemExporter, [item], encoding="latin-1")
    assert export(CsvItemExporter, [item], encoding="latin-1", errors="replace") == b"text\r\nW?rd\r\n"


def test_csv_warns_once_about_fields_outside_the_header(caplog):
    output = io.BytesIO()
    exporter = CsvItemExporter(output)
    exporter.start_exporting()
    with caplog.at_level(logging.WARNING):
        exporter.export_items([{"name": "a"}, {"name": "b", "price": 1, "extra": 2}, {"name": "c", "more": 3}])
    exporter.finish_exporting()
    assert output.getvalue() == b"name\r\na\r\nb\r\nc\r\n"
    warnings = [r for r in caplog.records if "CSVExporter dropped fields" in r.getMessage()]
    assert len(warnings) == 1
    assert "['extra', 'price']" in warnings[0].getMessage()
    assert warnings[0].name == "scrapy.exporters"


@pytest.mark.parametrize("exporter_class", [CsvItemExporter, XmlItemExporter])
def test_text_exporters_never_close_the_file(exporter_class):
    output = io.BytesIO()
    exporter = exporter_class(output)
    exporter.start_exporting()
    exporter.export_item({"a": 1})
    del exporter  # no finish_exporting
    gc.collect()
    assert not output.closed
    output.write(b"more")


# -- XML ------------------------------------------------------------------------------


def test_xml_element_names_and_encoding():
    output = export(
        XmlItemExporter, [{"text": "\u263a", "empty": "", "none": None}], encoding="latin-1",
        item_element="row", root_element="rows",
    )
    assert output == (
        b'<?xml version="1.0" encoding="latin-1"?>\n'
        b"<rows><row><text>&#9786;</text><empty></empty><none>None</none></row></rows>"
    )


def test_xml_without_items():
    assert export(XmlItemExporter, []) == b'<?xml version="1.0" encoding="utf-8"?>\n<items></items>'
    assert export(XmlItemExporter, [], indent=2) == b'<?xml version="1.0" encoding="utf-8"?>\n<items>\n</items>'


# -- pickle, marshal, Python ----------------------------------------------------------


def test_pickle_and_marshal_write_one_record_per_item():
    items: list[Any] = [{"a": 1}, Product(name="p", tags=("x",)), Offer("s")]
    output = io.BytesIO(export(PickleItemExporter, items))
    assert [pickle.load(output) for _ in items] == [{"a": 1}, {"name": "p", "tags": ("x",)}, {"shop": "s", "amount": 0}]
    assert export(PickleItemExporter, items[:1], protocol=2)[:2] == b"\x80\x02"
    output = io.BytesIO(export(MarshalItemExporter, [{"a": 1}, {"b": [2]}]))
    assert [marshal.load(output), marshal.load(output)] == [{"a": 1}, {"b": [2]}]


def test_python_exporter_builds_plain_structures():
    nested = Product(name=b"inner", tags={"t"})
    item = {"name": b"caf\xc3\xa9", "child": nested, "list": [nested, Offer("s", 1)], "n": 5}
    result = PythonItemExporter().export_item(item)
    assert result == {
        "name": "caf\xe9",
        "child": {"name": "inner", "tags": ["t"]},
        "list": [{"name": "inner", "tags": ["t"]}, {"shop": "s", "amount": 1}],
        "n": 5,
    }
    assert type(result["child"]) is dict
    assert PythonItemExporter().export_items([{"a": b"x"}, {"b": 1}]) == [{"a": "x"}, {"b": 1}]


def test_python_exporter_decodes_with_its_encoding():
    assert PythonItemExporter(encoding="latin-1").export_item({"a": b"\xe9"}) == {"a": "\xe9"}


def test_custom_exporter_needs_only_export_item():
    written: list[dict[str, Any]] = []

    class Collecting(BaseItemExporter):
        def export_item(self, item):
            written.append(dict(self.get_serialized_fields(item, default_value="-", include_empty=True)))

    exporter = Collecting(fields_to_export=["name", "price"])
    exporter.start_exporting()
    exporter.export_items([Product(name="a"), {"price": 2}])
    exporter.finish_exporting()
    assert written == [{"name": "a", "price": "-"}, {"name": "-", "price": 2}]
    with pytest.raises(TypeError):
        BaseItemExporter()  # type: ignore[abstract]


def test_subclass_of_item_with_own_getitem_is_read_through_it():
    class Defaulted(Product):
        def __getitem__(self, key):
            return super().__getitem__(key).upper()

    assert export(JsonLinesItemExporter, [Defaulted(name="a")]) == b'{"name": "A"}\n'


EXPORTER_FACTORIES: list[Callable[[io.BytesIO], BaseItemExporter]] = [
    JsonItemExporter, JsonLinesItemExporter, CsvItemExporter, XmlItemExporter,
    PickleItemExporter, PprintItemExporter,
]


@pytest.mark.parametrize("factory", EXPORTER_FACTORIES)
def test_export_items_accepts_any_iterable(factory):
    from_list = io.BytesIO()
    from_generator = io.BytesIO()
    for output, items in ((from_list, [{"a": i} for i in range(3)]), (from_generator, ({"a": i} for i in range(3)))):
        exporter = factory(output)
        exporter.start_exporting()
        exporter.export_items(items)
        exporter.finish_exporting()
    assert from_list.getvalue() == from_generator.getvalue() != b""
