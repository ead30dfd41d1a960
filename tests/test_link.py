"""Link: value semantics."""

import pytest

from ascrapy.link import Link


def test_equal_links_hash_alike():
    a = Link("http://x.com", text="t", fragment="f", nofollow=True)
    b = Link("http://x.com", text="t", fragment="f", nofollow=True)
    assert a == b and hash(a) == hash(b)
    assert len({a, b}) == 1


@pytest.mark.parametrize(
    "other",
    [
        Link("http://y.com", text="t", fragment="f", nofollow=True),
        Link("http://x.com", text="u", fragment="f", nofollow=True),
        Link("http://x.com", text="t", fragment="g", nofollow=True),
        Link("http://x.com", text="t", fragment="f", nofollow=False),
    ],
)
def test_any_field_makes_links_differ(other):
    assert Link("http://x.com", text="t", fragment="f", nofollow=True) != other


def test_repr_evaluates_back():
    link = Link("http://x.com/'q'", text='say "hi"', fragment="f", nofollow=True)
    assert eval(repr(link)) == link  # noqa: S307


def test_url_must_be_str_and_links_are_not_strings():
    with pytest.raises(TypeError, match="Link urls must be str objects, got bytes"):
        Link(b"http://x.com")
    assert Link("http://x.com") != "http://x.com"
