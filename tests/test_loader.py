"""ItemLoader over responses, and the processors at their old import path."""

from __future__ import annotations

import itemloaders
import itemloaders.processors
import pytest

from ascrapy.http import HtmlResponse, Response, XmlResponse
from ascrapy.item import Field, Item
from ascrapy.loader import ItemLoader
from ascrapy.loader import processors as old_processors
from ascrapy.selector import Selector

PAGE = b"""<html><body>
<h1> Fountain pen </h1>
<span class="price">12.50</span><span class="price">14.00</span>
<ul id="tags"><li>office</li><li>gift</li></ul>
<div class="seller"><a href="/s/1">Ink &amp; Co</a></div>
</body></html>"""


class Product(Item):
    name = Field()
    price = Field()
    tags = Field(output_processor=itemloaders.processors.Join("|"))
    seller = Field()
    seller_url = Field()


class ProductLoader(ItemLoader):
    default_item_class = Product
    default_output_processor = itemloaders.processors.TakeFirst()
    name_in = itemloaders.processors.MapCompose(str.strip, str.title)


@pytest.fixture
def response() -> HtmlResponse:
    return HtmlResponse("https://shop.example/p/1", body=PAGE, encoding="utf-8")


def test_is_an_itemloaders_loader_making_ascrapy_items():
    loader = ItemLoader()
    assert isinstance(loader, itemloaders.ItemLoader)
    assert type(loader.load_item()) is Item
    with pytest.raises(KeyError):
        loader.add_value("anything", "x")


def test_selector_built_from_response(response):
    loader = ProductLoader(response=response)
    assert isinstance(loader.selector, Selector)
    assert loader.context["response"] is response
    loader.add_css("name", "h1::text")
    loader.add_xpath("price", "//span[@class='price']/text()")
    loader.add_css("tags", "#tags li::text")
    item = loader.load_item()
    assert isinstance(item, Product)
    assert dict(item) == {"name": "Fountain Pen", "price": "12.50", "tags": "office|gift"}


def test_xpath_and_css_accept_re_and_lists(response):
    loader = ProductLoader(response=response)
    loader.add_xpath("price", "//span[@class='price']/text()", re=r"(\d+)\.")
    assert loader.get_collected_values("price") == ["12", "14"]
    loader.replace_css("price", ["span.price::text", "h1::text"])
    assert len(loader.get_collected_values("price")) == 3
    assert loader.get_css("#tags li::text", itemloaders.processors.TakeFirst()) == "office"


def test_explicit_selector_wins_over_response(response):
    selector = Selector(text="<h1>other</h1>")
    loader = ProductLoader(selector=selector, response=response)
    assert loader.selector is selector
    loader.add_css("name", "h1::text")
    assert loader.load_item()["name"] == "Other"


def test_xml_response_gets_an_xml_selector():
    response = XmlResponse("https://x/feed", body=b"<feed><title>T</title></feed>")
    loader = ProductLoader(response=response)
    loader.add_xpath("name", "/feed/title/text()")
    assert loader.load_item()["name"] == "T"


def test_response_without_text_leaves_no_selector():
    loader = ProductLoader(response=Response("https://x/bin", body=b"\x00\x01"))
    assert loader.selector is None
    with pytest.raises(RuntimeError, match="must be instantiated with a selector"):
        loader.add_xpath("name", "//h1")
    with pytest.raises(RuntimeError):
        loader.add_css("name", "h1")


def test_given_item_keeps_its_values(response):
    product = Product(seller="Ink & Co")
    loader = ProductLoader(item=product, response=response)
    loader.add_css("name", "h1::text")
    loaded = loader.load_item()
    assert loaded is product
    assert dict(loaded) == {"seller": "Ink & Co", "name": "Fountain Pen"}


def test_nested_loaders_share_item_and_response(response):
    loader = ProductLoader(response=response)
    seller = loader.nested_css("div.seller")
    assert seller.context["response"] is response
    seller.add_css("seller", "a::text")
    seller.add_xpath("seller_url", "a/@href")
    loader.add_css("name", "h1::text")
    item = loader.load_item()
    assert item is seller.item
    assert dict(item) == {"seller": "Ink & Co", "seller_url": "/s/1", "name": "Fountain Pen"}


def test_context_holds_extra_keyword_arguments(response):
    loader = ProductLoader(response=response, currency="EUR")
    assert loader.context["currency"] == "EUR"
    assert loader.context["item"] is loader.item


def test_old_processors_path_reexports_itemloaders():
    for name in ("MapCompose", "Compose", "TakeFirst", "Identity", "SelectJmes", "Join"):
        assert getattr(old_processors, name) is getattr(itemloaders.processors, name)
    assert old_processors.Join(", ")(["a", "b"]) == "a, b"
