"""Item and Field: declared keys, field order, inheritance, copies, itemadapter."""

from __future__ import annotations

import pickle
from abc import ABCMeta

import pytest
from itemadapter import ItemAdapter, is_item

from ascrapy.item import Field, Item, ItemMeta


class Product(Item):
    name = Field()
    price = Field(serializer=str)
    tags = Field()


class DiscountedProduct(Product):
    discount = Field()
    price = Field(serializer=float)  # redeclared: keeps its place, new metadata


def test_field_is_a_dict_of_metadata():
    field = Field(serializer=str, default=1)
    assert isinstance(field, dict)
    assert field == {"serializer": str, "default": 1}


def test_fields_in_declaration_order_without_class_attributes():
    assert list(Product.fields) == ["name", "price", "tags"]
    assert Product.fields["price"] == {"serializer": str}
    assert "name" not in vars(Product)


def test_subclass_fields_follow_inherited_ones():
    assert list(DiscountedProduct.fields) == ["name", "price", "tags", "discount"]
    assert DiscountedProduct.fields["price"] == {"serializer": float}
    assert Product.fields["price"] == {"serializer": str}


def test_item_class_is_built_by_itemmeta_on_abcmeta():
    assert type(Product) is ItemMeta
    assert issubclass(ItemMeta, ABCMeta)
    assert Item.fields == {}


def test_values_by_key_only_for_declared_fields():
    product = Product(name="pen", price=2)
    assert product["name"] == "pen"
    product["tags"] = ["office"]
    assert dict(product) == {"name": "pen", "price": 2, "tags": ["office"]}
    with pytest.raises(KeyError, match="Product does not support field: colour"):
        product["colour"] = "red"
    with pytest.raises(KeyError, match="Product does not support field: colour"):
        Product(colour="red")
    with pytest.raises(KeyError):
        Product()["name"]


def test_init_accepts_mappings_pairs_and_items():
    assert dict(Product({"name": "a"})) == {"name": "a"}
    assert dict(Product([("name", "b")], price=3)) == {"name": "b", "price": 3}
    assert dict(Product(Product(name="c"))) == {"name": "c"}


def test_delete_and_mapping_methods():
    product = Product(name="pen", price=1)
    del product["price"]
    assert list(product.keys()) == ["name"]
    assert len(product) == 1
    assert "price" not in product
    with pytest.raises(KeyError):
        del product["price"]
    assert product.get("price", "none") == "none"
    assert product.setdefault("price", 5) == 5
    assert product.pop("price") == 5


def test_attribute_access_points_to_item_keys():
    product = Product(name="pen")
    with pytest.raises(AttributeError, match=r"Use item\['name'\] to get field value"):
        product.name  # noqa: B018
    with pytest.raises(AttributeError, match="^unknown$"):
        product.unknown  # noqa: B018
    with pytest.raises(AttributeError, match=r"Use item\['name'\] = 'x' to set field value"):
        product.name = "x"  # type: ignore[assignment]
    product._cache = {"ok": True}
    assert product._cache == {"ok": True}


def test_repr_is_the_dict_pretty_printed():
    product = Product(price=1, name="pen")
    assert repr(product) == "{'name': 'pen', 'price': 1}"


def test_copy_is_shallow_and_deepcopy_deep():
    product = Product(name="pen", tags=["a"])
    shallow = product.copy()
    deep = product.deepcopy()
    assert type(shallow) is Product and shallow is not product
    product["tags"].append("b")
    product["name"] = "pencil"
    assert shallow["tags"] == ["a", "b"]
    assert shallow["name"] == "pen"
    assert deep["tags"] == ["a"]


def test_equality_by_content_hash_by_identity():
    first, second = Product(name="a"), Product(name="a")
    assert first == second
    assert first == {"name": "a"}
    assert len({first, second}) == 2


def test_pickle_round_trip():
    product = DiscountedProduct(name="pen", discount=0.1)
    restored = pickle.loads(pickle.dumps(product))
    assert type(restored) is DiscountedProduct
    assert restored == product


def test_methods_using_super_and_class_cell():
    class Named(Item):
        name = Field()

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.setdefault("name", "anonymous")

        def own_class(self):
            return __class__  # type: ignore[name-defined]

    item = Named()
    assert item["name"] == "anonymous"
    assert item.own_class() is Named


def test_fields_attribute_declares_fields_too():
    class Declared(Item):
        fields = {"a": Field(default=1)}
        b = Field()

    assert list(Declared.fields) == ["a", "b"]
    assert dict(Declared(a=1, b=2)) == {"a": 1, "b": 2}


def test_multiple_inheritance_follows_method_resolution_order():
    class Left(Item):
        shared = Field(side="left")
        left = Field()

    class Right(Item):
        shared = Field(side="right")
        right = Field()

    class Both(Left, Right):
        pass

    class BothReversed(Right, Left):
        pass

    assert Both.fields["shared"] == {"side": "left"}
    assert BothReversed.fields["shared"] == {"side": "right"}
    assert set(Both.fields) == {"shared", "left", "right"}


def test_plain_mixins_contribute_no_fields():
    class Mixin:
        hidden = Field()

        def describe(self):
            return "mixin"

    class Mixed(Item, Mixin):
        shown = Field()

    assert list(Mixed.fields) == ["shown"]
    assert Mixed().describe() == "mixin"
    with pytest.raises(KeyError):
        Mixed(hidden=1)


def test_subclass_fields_do_not_leak_into_a_parent_fields_dict():
    class Parent(Item):
        fields = {"a": Field()}

    class Child(Parent):
        b = Field()

    assert list(Parent.fields) == ["a"]
    assert list(Child.fields) == ["a", "b"]


def test_itemadapter_knows_items_and_their_field_metadata():
    product = Product(name="pen")
    assert is_item(product)
    adapter = ItemAdapter(product)
    assert adapter.get_field_meta("price") == {"serializer": str}
    assert list(adapter.field_names()) == ["name", "price", "tags"]
    adapter["price"] = 3
    assert product["price"] == 3
    assert adapter.asdict() == {"name": "pen", "price": 3}
