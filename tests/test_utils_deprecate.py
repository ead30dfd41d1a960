"""Deprecation helpers: renamed classes, class paths, attributes and spider attributes."""

from __future__ import annotations

import inspect
import warnings

import pytest

from ascrapy.exceptions import ScrapyDeprecationWarning
from ascrapy.utils import deprecate
from ascrapy.utils.deprecate import (
    argument_is_required,
    attribute,
    create_deprecated_class,
    method_is_overridden,
    update_classpath,
    warn_on_deprecated_spider_attribute,
)


class MyWarning(UserWarning):
    pass


class Base:
    pass


class NewName(Base):
    pass


def test_defining_the_alias_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        alias = create_deprecated_class("Deprecated", NewName)
    assert alias.__module__ == __name__
    assert alias.__name__ == "Deprecated"


def test_subclassing_warns_once_at_the_class_statement():
    Deprecated = create_deprecated_class("Deprecated", NewName, warn_category=MyWarning)
    expected = (
        rf"{__name__}\.UserClass inherits from deprecated class {__name__}\.Deprecated, please inherit from "
        rf"{__name__}\.NewName\. \(warning only on first subclass, there may be others\)"
    )
    with pytest.warns(MyWarning, match=expected) as record:

        class UserClass(Deprecated):
            pass

    assert record[0].lineno == inspect.getsourcelines(UserClass)[1]
    with warnings.catch_warnings():
        warnings.simplefilter("error", MyWarning)

        class Second(Deprecated):
            pass

        class Grandchild(UserClass):
            pass


def test_warn_once_false_warns_for_every_direct_subclass_only():
    Deprecated = create_deprecated_class("Deprecated", NewName, warn_category=MyWarning, warn_once=False)
    for _ in range(2):
        with pytest.warns(MyWarning, match="inherits from deprecated class") as record:

            class UserClass(Deprecated):
                pass

        assert "warning only on first subclass" not in str(record[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error", MyWarning)

        class Grandchild(UserClass):
            pass


def test_instantiating_the_alias_warns_but_its_subclasses_do_not():
    Deprecated = create_deprecated_class("Deprecated", NewName, warn_category=MyWarning)
    with pytest.warns(MyWarning, match=rf"{__name__}\.Deprecated is deprecated, instantiate {__name__}\.NewName") as w:
        instance, line = Deprecated(), inspect.currentframe().f_lineno
    assert isinstance(instance, NewName)
    assert len(w) == 1 and w[0].lineno == line
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MyWarning)

        class UserClass(Deprecated):
            pass

    with warnings.catch_warnings():
        warnings.simplefilter("error", MyWarning)
        UserClass()


def test_custom_paths_and_clsdict():
    Deprecated = create_deprecated_class(
        "Deprecated", NewName, {"flavour": "old"}, warn_category=MyWarning,
        old_class_path="old.Place", new_class_path="new.Place",
    )
    assert Deprecated.flavour == "old"
    with pytest.warns(MyWarning, match=r"old\.Place is deprecated, instantiate new\.Place instead"):
        Deprecated()
    with pytest.warns(MyWarning, match=r"inherits from deprecated class old\.Place, please inherit from new\.Place"):

        class UserClass(Deprecated):
            pass


def test_isinstance_and_issubclass_accept_the_new_class():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScrapyDeprecationWarning)
        Deprecated = create_deprecated_class("Deprecated", NewName)

        class Updated(NewName):
            pass

        class Outdated(Deprecated):
            pass

        class OtherOutdated(Deprecated):
            pass

    class Unrelated:
        pass

    assert issubclass(Updated, Deprecated) and isinstance(Updated(), Deprecated)
    assert issubclass(Outdated, Deprecated) and isinstance(Outdated(), Deprecated)
    assert issubclass(Outdated, NewName)
    assert not issubclass(Unrelated, Deprecated) and not isinstance(Unrelated(), Deprecated)
    assert not issubclass(Outdated, OtherOutdated) and not isinstance(OtherOutdated(), Outdated)
    assert not issubclass(Base, Deprecated)
    with pytest.raises(TypeError):
        issubclass(object(), Deprecated)  # type: ignore[arg-type]


def test_a_class_with_its_own_metaclass_can_be_deprecated():
    Meta = type("Meta", (type,), {})
    New = Meta("New", (), {})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScrapyDeprecationWarning)
        Old = create_deprecated_class("Old", New)
        assert isinstance(Old(), New)
    assert isinstance(Old, Meta)


def test_deprecating_a_deprecated_class():
    with warnings.catch_warnings():
        warnings.simplefilter("error", MyWarning)
        First = create_deprecated_class("First", NewName, warn_category=MyWarning)
        Second = create_deprecated_class("Second", First, new_class_path="x.Y", warn_category=MyWarning)
    with pytest.warns(MyWarning, match=r"Second is deprecated, instantiate x\.Y instead"):
        Second()


def test_update_classpath(monkeypatch):
    monkeypatch.setattr(deprecate, "DEPRECATION_RULES", [("old.pipeline.", "new.pipelines."), ("old.", "new.")])
    with pytest.warns(ScrapyDeprecationWarning, match="`old.thing.Ext` class is deprecated, use `new.thing.Ext` instead"):
        assert update_classpath("old.thing.Ext") == "new.thing.Ext"
    with pytest.warns(ScrapyDeprecationWarning):
        assert update_classpath("old.pipeline.P") == "new.pipelines.P"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert update_classpath("other.old.Path") == "other.old.Path"
        marker = object()
        assert update_classpath(marker) is marker


def test_method_is_overridden():
    class Parent:
        def run(self):
            pass

    class Inherits(Parent):
        pass

    class Overrides(Parent):
        def run(self):
            pass

    class Below(Overrides):
        pass

    assert not method_is_overridden(Parent, Parent, "run")
    assert not method_is_overridden(Inherits, Parent, "run")
    assert method_is_overridden(Overrides, Parent, "run")
    assert method_is_overridden(Below, Parent, "run")


def test_argument_is_required():
    def func(a, b=1, *, c, d=None):
        pass

    assert argument_is_required(func, "a")
    assert argument_is_required(func, "c")
    assert not argument_is_required(func, "b")
    assert not argument_is_required(func, "d")
    assert not argument_is_required(func, "missing")


def test_attribute_and_spider_attribute_warnings():
    class Thing:
        pass

    with pytest.warns(ScrapyDeprecationWarning, match=r"Thing\.old attribute is deprecated and will be no longer "
                      r"supported in Scrapy 0\.12, use Thing\.new attribute instead"):
        attribute(Thing(), "old", "new")
    with pytest.warns(ScrapyDeprecationWarning, match="in Scrapy 3.0"):
        attribute(Thing(), "old", "new", "3.0")
    with pytest.warns(ScrapyDeprecationWarning, match="The 'download_delay' spider attribute is deprecated.*'DOWNLOAD_DELAY'"):
        warn_on_deprecated_spider_attribute("download_delay", "DOWNLOAD_DELAY")


def test_a_failing_stack_lookup_only_warns(monkeypatch):
    def broken_stack(*args, **kwargs):
        raise IndexError("no frames")

    monkeypatch.setattr(inspect, "stack", broken_stack)
    with pytest.warns(UserWarning, match="Error detecting parent module: IndexError"):
        alias = create_deprecated_class("Deprecated", NewName)
    assert alias.__module__ == "ascrapy.utils.deprecate"
