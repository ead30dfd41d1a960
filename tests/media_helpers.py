"""A local site of files and images, and a spider that yields items naming them, for the
media pipeline tests (files, images, media)."""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from typing import Any

from aiohttp import web

import ascrapy
from ascrapy.utils.python import to_bytes

FILES = {
    "report.pdf": b"%PDF-1.4 a small report",
    "notes.txt": b"plain notes\n" * 50,
    "data.csv": b"a,b\n1,2\n",
}


def sha1_name(url: str) -> str:
    return hashlib.sha1(to_bytes(url)).hexdigest()  # noqa: S324


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()  # noqa: S324


HITS = web.AppKey("hits", Counter)


def make_media_app(images: dict[str, tuple[bytes, str]] | None = None) -> web.Application:
    """/files/{name} (``?delay=`` seconds), /missing/{name} (404), /empty, /redirect?to=,
    /images/{name} from ``images`` (name -> (body, content type)); app[HITS] counts
    requests per path."""
    hits: Counter[str] = Counter()
    images = images or {}

    async def count(request: web.Request) -> None:
        hits[request.path] += 1
        delay = float(request.query.get("delay", 0))
        if delay:
            await asyncio.sleep(delay)

    async def file(request: web.Request) -> web.Response:
        await count(request)
        body = FILES.get(request.match_info["name"])
        if body is None:
            raise web.HTTPNotFound()
        return web.Response(body=body, content_type="application/octet-stream")

    async def missing(request: web.Request) -> web.Response:
        await count(request)
        return web.Response(status=404, text="not here")

    async def empty(request: web.Request) -> web.Response:
        await count(request)
        return web.Response(body=b"", content_type="text/plain")

    async def redirect(request: web.Request) -> web.Response:
        await count(request)
        raise web.HTTPFound(request.query["to"])

    async def image(request: web.Request) -> web.Response:
        await count(request)
        body, content_type = images[request.match_info["name"]]
        return web.Response(body=body, content_type=content_type)

    async def page(request: web.Request) -> web.Response:
        return web.Response(text="<html><body>media</body></html>", content_type="text/html")

    app = web.Application()
    app[HITS] = hits
    app.router.add_get("/files/{name}", file)
    app.router.add_get("/missing/{name}", missing)
    app.router.add_get("/empty", empty)
    app.router.add_get("/redirect", redirect)
    app.router.add_get("/images/{name}", image)
    app.router.add_get("/page", page)
    return app


class MediaSpider(ascrapy.Spider):
    """Yields ``items`` (dicts) from /page; string values under a key ending in ``urls``
    are joined to the page URL."""

    name = "media"
    items: list[dict[str, Any]] = []

    def parse(self, response: Any) -> Any:
        for template in self.items:
            item = dict(template)
            for key, value in template.items():
                if key.endswith("urls") and isinstance(value, list):
                    item[key] = [response.urljoin(url) for url in value]
            yield item


def recorder() -> tuple[type, list[Any]]:
    """An item pipeline class that keeps the items it sees, and the list it keeps them in."""
    seen: list[Any] = []

    class Recorder:
        def process_item(self, item: Any) -> Any:
            seen.append(item)
            return item

    return Recorder, seen


def by_id(items: list[Any]) -> dict[Any, Any]:
    return {item["id"]: item for item in items}

