"""Link: one link found by a link extractor."""

from __future__ import annotations


class Link:
    """A link: absolute ``url``, anchor ``text``, URL ``fragment`` and whether rel=nofollow."""

    __slots__ = ("fragment", "nofollow", "text", "url")

    def __init__(self, url: str, text: str = "", fragment: str = "", nofollow: bool = False):
        if not isinstance(url, str):
            raise TypeError(f"Link urls must be str objects, got {url.__class__.__name__}")
        self.url: str = url
        self.text: str = text
        self.fragment: str = fragment
        self.nofollow: bool = nofollow

    def _key(self) -> tuple[str, str, str, bool]:
        return self.url, self.text, self.fragment, self.nofollow

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Link):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Link(url={self.url!r}, text={self.text!r}, "
            f"fragment={self.fragment!r}, nofollow={self.nofollow!r})"
        )
