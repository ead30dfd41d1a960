"""The link site: a deterministic generated site of N pages with K links each, the
"2,000-page site, 20 links per page" of the tests and benchmarks; served by aiohttp
(``make_link_site``) or written as static files for nginx (``write_link_site``)."""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

from aiohttp import web

_WORDS = (
    "crawler spider request response selector item pipeline feed engine frontier "
    "download middleware scheduler priority cookie header redirect retry throttle "
    "asyncio stream worker queue batch export parse follow extract link page"
).split()


def link_targets(page: int, pages: int, links_per_page: int, seed: int = 0) -> list[int]:
    """The pages ``page`` links to: the next page first (so /page/0 reaches all), then random ones."""
    rng = random.Random(f"{seed}:{page}:links")
    targets = [(page + 1) % pages]
    targets.extend(rng.randrange(pages) for _ in range(links_per_page - 1))
    return targets[:links_per_page]


@lru_cache(maxsize=8192)
def render_link_page(page: int, pages: int, links_per_page: int, seed: int = 0) -> str:
    """The HTML of one page: about 2 KB with 20 links, ASCII only, stable for a given seed."""
    rng = random.Random(f"{seed}:{page}:text")
    summary = " ".join(rng.choice(_WORDS) for _ in range(45)).capitalize() + "."
    price = f"{rng.randrange(100, 10000) / 100:.2f}"
    tags = sorted(set(rng.sample(_WORDS, 3)))
    links = "\n".join(
        f'<li><a href="/page/{target}" class="page-link">Page {target}</a></li>'
        for target in link_targets(page, pages, links_per_page, seed)
    )
    tag_items = "".join(f'<li class="tag">{tag}</li>' for tag in tags)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Page {page} | Link site</title>
<meta name="description" content="Generated page {page} of {pages}">
</head>
<body>
<header><nav><a href="/">Home</a> | <a href="/page/0">First page</a></nav></header>
<main>
<article class="page" id="page-{page}" data-page="{page}">
<h1>Page {page}</h1>
<p class="summary">{summary}</p>
<dl class="facts">
<dt>Price</dt><dd class="price">${price}</dd>
<dt>Position</dt><dd class="position">{page + 1} of {pages}</dd>
</dl>
<ul class="tags">{tag_items}</ul>
<h2>Related pages</h2>
<ul class="links">
{links}
</ul>
</article>
</main>
<footer><p>Link site, seed {seed}. Every page is generated; nothing here is real.</p></footer>
</body>
</html>
"""


def render_link_index(pages: int) -> str:
    """The home page: one link to /page/0, where the crawl of the site starts."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Link site</title></head>
<body>
<h1>Link site</h1>
<p>{pages} pages. Start at <a href="/page/0">page 0</a>.</p>
</body>
</html>
"""


def make_pages_site() -> web.Application:
    """Serve /page/{n} for any n: a titled page without links (the spider makes the requests)."""

    async def page(request: web.Request) -> web.Response:
        return web.Response(text="<html><title>page</title></html>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/page/{n}", page)
    return app


def make_link_site(pages: int, links_per_page: int, seed: int = 0) -> web.Application:
    """Serve / and /page/0 .. /page/{pages-1}; every page is reachable from /page/0.

    The last page links back to /page/0, so a crawl whose start request is /page/0 with
    dont_filter (as start_urls are) fetches it twice: pages + 1 responses.
    """
    if pages < 1 or links_per_page < 1:
        raise ValueError("a link site needs at least one page and one link per page")
    index = render_link_index(pages).encode()

    @lru_cache(maxsize=16384)  # encoded once: serving should cost the benchmarks little
    def body(number: int) -> bytes:
        return render_link_page(number, pages, links_per_page, seed).encode()

    async def home(request: web.Request) -> web.Response:
        return web.Response(body=index, content_type="text/html", charset="utf-8")

    async def page(request: web.Request) -> web.Response:
        number = request.match_info["number"]
        if not number.isdigit() or int(number) >= pages or str(int(number)) != number:
            raise web.HTTPNotFound()
        return web.Response(body=body(int(number)), content_type="text/html", charset="utf-8")

    app = web.Application()
    app.router.add_get("/", home)
    app.router.add_get("/page/{number}", page)
    return app


def write_link_site(
    directory: str | Path,
    pages: int,
    links_per_page: int,
    seed: int = 0,
    layout: str = "file",
) -> Path:
    """Write the link site as static files; the links are the same as make_link_site's.

    ``layout="file"`` writes page/N.html, ``layout="directory"`` page/N/index.html. Either
    way the links say /page/N, so the server maps them, e.g. nginx:
    ``location / { default_type text/html; try_files $uri $uri.html $uri/index.html =404; }``
    """
    if layout not in ("file", "directory"):
        raise ValueError(f"unknown layout {layout!r}: use 'file' or 'directory'")
    root = Path(directory)
    (root / "page").mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(render_link_index(pages), encoding="utf-8")
    for number in range(pages):
        html = render_link_page(number, pages, links_per_page, seed)
        if layout == "file":
            target = root / "page" / f"{number}.html"
        else:
            target = root / "page" / str(number) / "index.html"
            target.parent.mkdir(exist_ok=True)
        target.write_text(html, encoding="utf-8")
    return root
