"""Which Response class fits a download: from its headers, URL, file name or body."""

from __future__ import annotations

from collections.abc import Mapping
from mimetypes import MimeTypes
from typing import ClassVar

from ascrapy.http import Response
from ascrapy.utils.misc import load_object
from ascrapy.utils.python import binary_is_text, to_bytes

# File extensions whose type decides a text class, beyond Python's built-in table;
# they follow the Debian mime.types that Scrapy ships, so a file name maps to the
# same response class as in Scrapy.
_EXTRA_TYPES: dict[str, str] = {
    "application/atom+xml": "atom",
    "application/javascript": "js",
    "application/rdf+xml": "rdf",
    "application/rss+xml": "rss",
    "application/xhtml+xml": "xhtml xht",
    "application/xml": "xml xsl xsd",
    "application/x-msdos-program": "com exe bat dll",
    "text/calendar": "ics icz",
    "text/css": "css",
    "text/csv": "csv",
    "text/h323": "323",
    "text/html": "html htm shtml",
    "text/iuls": "uls",
    "text/mathml": "mml",
    "text/plain": "asc txt text pot brf",
    "text/richtext": "rtx",
    "text/scriptlet": "sct wsc",
    "text/texmacs": "tm ts",
    "text/tab-separated-values": "tsv",
    "text/vnd.sun.j2me.app-descriptor": "jad",
    "text/vnd.wap.wml": "wml",
    "text/vnd.wap.wmlscript": "wmls",
    "text/x-bibtex": "bib",
    "text/x-boo": "boo",
    "text/x-c++hdr": "h++ hpp hxx hh",
    "text/x-c++src": "c++ cpp cxx cc",
    "text/x-chdr": "h",
    "text/x-component": "htc",
    "text/x-csh": "csh",
    "text/x-csrc": "c",
    "text/x-dsrc": "d",
    "text/x-diff": "diff patch",
    "text/x-haskell": "hs",
    "text/x-java": "java",
    "text/x-literate-haskell": "lhs",
    "text/x-moc": "moc",
    "text/x-pascal": "p pas",
    "text/x-pcs-gcd": "gcd",
    "text/x-perl": "pl pm",
    "text/x-python": "py",
    "text/x-scala": "scala",
    "text/x-setext": "etx",
    "text/x-sh": "sh",
    "text/x-tcl": "tcl tk",
    "text/x-tex": "tex ltx sty cls",
    "text/x-vcalendar": "vcs",
    "text/x-vcard": "vcf",
    # Lets tests check that this table is loaded, as Scrapy's own file does.
    "x-scrapy/test": "scrapytest",
}


class ResponseTypes:
    """Maps MIME types, headers, file names and bodies to Response classes."""

    CLASSES: ClassVar[dict[str, str]] = {
        "text/html": "ascrapy.http.HtmlResponse",
        "application/atom+xml": "ascrapy.http.XmlResponse",
        "application/rdf+xml": "ascrapy.http.XmlResponse",
        "application/rss+xml": "ascrapy.http.XmlResponse",
        "application/xhtml+xml": "ascrapy.http.HtmlResponse",
        "application/vnd.wap.xhtml+xml": "ascrapy.http.HtmlResponse",
        "application/xml": "ascrapy.http.XmlResponse",
        "application/json": "ascrapy.http.JsonResponse",
        "application/x-json": "ascrapy.http.JsonResponse",
        "application/json-amazonui-streaming": "ascrapy.http.JsonResponse",
        "application/javascript": "ascrapy.http.TextResponse",
        "application/x-javascript": "ascrapy.http.TextResponse",
        "text/xml": "ascrapy.http.XmlResponse",
        "text/*": "ascrapy.http.TextResponse",
    }

    def __init__(self) -> None:
        self._mimetypes: MimeTypes | None = None
        self.classes: dict[str, type[Response]] = {
            mimetype: load_object(path) for mimetype, path in self.CLASSES.items()
        }

    @property
    def mimetypes(self) -> MimeTypes:
        """The file-extension table, built on first use: responses with a Content-Type
        never need it. A fresh MimeTypes holds Python's built-in table only, not the host's
        /etc/mime.types, so results do not depend on the machine."""
        if self._mimetypes is None:
            table = MimeTypes()
            for mimetype, extensions in _EXTRA_TYPES.items():
                for extension in extensions.split():
                    table.add_type(mimetype, "." + extension)
            self._mimetypes = table
        return self._mimetypes

    @mimetypes.setter
    def mimetypes(self, table: MimeTypes) -> None:
        self._mimetypes = table

    def from_mimetype(self, mimetype: str) -> type[Response]:
        """The class for a MIME type, else for its ``major/*``, else :class:`Response`."""
        try:
            return self.classes[mimetype]
        except KeyError:
            return self.classes.get(f"{mimetype.split('/', 1)[0]}/*", Response)

    def from_content_type(
        self, content_type: str | bytes, content_encoding: bytes | None = None
    ) -> type[Response]:
        """The class for a Content-Type header; encoded (compressed) bodies stay binary."""
        if content_encoding:
            return Response
        if isinstance(content_type, bytes):
            content_type = content_type.decode("latin-1")
        return self.from_mimetype(content_type.split(";")[0].strip().lower())

    def from_content_disposition(self, content_disposition: str | bytes) -> type[Response]:
        """The class for the file name of a Content-Disposition header."""
        if isinstance(content_disposition, bytes):
            content_disposition = content_disposition.decode("latin-1", errors="replace")
        try:
            filename = content_disposition.split(";")[1].split("=")[1].strip("\"'")
        except IndexError:
            return Response
        return self.from_filename(filename)

    def from_headers(self, headers: Mapping[bytes, bytes]) -> type[Response]:
        """The class that Content-Type, then Content-Disposition, point to."""
        cls: type[Response] = Response
        if b"Content-Type" in headers:
            cls = self.from_content_type(
                content_type=headers[b"Content-Type"],
                content_encoding=headers.get(b"Content-Encoding"),
            )
        if cls is Response and b"Content-Disposition" in headers:
            cls = self.from_content_disposition(headers[b"Content-Disposition"])
        return cls

    def from_filename(self, filename: str) -> type[Response]:
        """The class for a file name's extension (compressed files stay binary)."""
        mimetype, encoding = self.mimetypes.guess_type(filename)
        if mimetype and not encoding:
            return self.from_mimetype(mimetype)
        return Response

    def from_body(self, body: bytes) -> type[Response]:
        """A guess from the first bytes of the body, for when nothing else tells."""
        chunk = to_bytes(body[:5000])
        if not binary_is_text(chunk):
            return self.from_mimetype("application/octet-stream")
        lowered = chunk.lower()
        if b"<html>" in lowered:
            return self.from_mimetype("text/html")
        if b"<?xml" in lowered:
            return self.from_mimetype("text/xml")
        if b"<!doctype html>" in lowered:
            return self.from_mimetype("text/html")
        return self.from_mimetype("text")

    def from_args(
        self,
        headers: Mapping[bytes, bytes] | None = None,
        url: str | None = None,
        filename: str | None = None,
        body: bytes | None = None,
    ) -> type[Response]:
        """The first specific class that headers, URL, file name or body give, in that order."""
        cls: type[Response] = Response
        if headers is not None:
            cls = self.from_headers(headers)
        if cls is Response and url is not None:
            cls = self.from_filename(url)
        if cls is Response and filename is not None:
            cls = self.from_filename(filename)
        if cls is Response and body is not None:
            cls = self.from_body(body)
        return cls


responsetypes = ResponseTypes()
