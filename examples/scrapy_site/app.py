"""A small members-only forum for the example Scrapy project (examples/scrapy_project).

    python examples/scrapy_site/app.py [PORT]

prints the base URL on its first line and serves until Ctrl+C; tests import ``make_app()``.

Everything past the home page needs a login: /login shows a form with a hidden CSRF token
(also set as a cookie, Django style), a POST with the right token and password sets the
``forum_session`` cookie and redirects. Without that cookie, forum and member pages
redirect to /login and thread pages answer 403. The pages carry links a crawler must not
follow: /forum/logout (ends the session), reply forms, PDF attachments, a mirror on
another host name (``localhost``) and a staff-only thread. Every request is recorded in
``app[REQUEST_LOG]`` so that tests can see what a crawl really fetched.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import sys
from collections.abc import Awaitable, Callable
from html import escape
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

from aiohttp import web

DATA = json.loads((Path(__file__).resolve().parent / "forum.json").read_text(encoding="utf-8"))
SESSION_COOKIE = "forum_session"
CSRF_COOKIE = "csrftoken"
CSRF_FIELD = "csrfmiddlewaretoken"
CLIENT_HEADER = "X-Forum-Client"
THREADS_PER_PAGE = 3
MEMBERS_PER_PAGE = 4


class RequestRecord(NamedTuple):
    """One request as the site saw it: enough to tell what a crawl followed and as whom."""

    method: str
    path: str  # with the query string
    host: str
    status: int
    user: str | None  # the member whose session cookie came with it, else None
    client: str | None  # the X-Forum-Client header


REQUEST_LOG: web.AppKey[list[RequestRecord]] = web.AppKey("request_log", list)
SESSIONS: web.AppKey[dict[str, str]] = web.AppKey("sessions", dict)
CSRF_TOKENS: web.AppKey[set[str]] = web.AppKey("csrf_tokens", set)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# ---------------------------------------------------------------- sessions


def current_user(request: web.Request) -> str | None:
    return request.app[SESSIONS].get(request.cookies.get(SESSION_COOKIE, ""))


def require_member(request: web.Request, *, redirect: bool = True) -> str:
    """The logged-in member; otherwise a redirect to /login (or 403 where ``redirect`` is False)."""
    user = current_user(request)
    if user is None:
        if redirect:
            raise web.HTTPFound(f"/login?next={quote(request.path_qs)}")
        raise web.HTTPForbidden(text="Members only: please log in.")
    return user


@web.middleware
async def record_requests(request: web.Request, handler: Handler) -> web.StreamResponse:
    user = current_user(request)  # as the request arrived: before a login or logout changes it
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as answer:
        status = answer.status
        raise
    finally:
        record = RequestRecord(
            request.method, request.path_qs, request.host, status, user, request.headers.get(CLIENT_HEADER)
        )
        request.app[REQUEST_LOG].append(record)


# ---------------------------------------------------------------- HTML


def page(title: str, body: str, user: str | None, head: str = "") -> web.Response:
    """The layout every page shares: a search box first (so the login form is not form 0)."""
    if user:
        account = (
            f'Logged in as <b class="username">{escape(user)}</b> · <a href="/forum">Forum</a>'
            ' · <a class="members" href="/members">Members</a> · <a href="/forum/logout">Log out</a>'
        )
    else:
        account = '<a href="/login">Log in</a>'
    html = f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{escape(title)} | Crawlers' Forum</title>{head}</head>
<body>
<header>
<form class="search" action="/search" method="get"><input type="text" name="q"><button>Search</button></form>
<p class="account">{account}</p>
</header>
<main>
{body}
</main>
</body>
</html>
"""
    return web.Response(text=html, content_type="text/html", charset="utf-8")


def section_nav() -> str:
    links = "".join(f'<li><a href="/forum/{s["slug"]}">{escape(s["name"])}</a></li>' for s in DATA["sections"])
    return f'<nav class="sections"><ul>{links}<li><a href="/forum/logout">Log out</a></li></ul></nav>'


def pager(base: str, number: int, pages: int) -> str:
    """Numbered pages plus previous/next; page 1 is the bare path, never ?page=1."""

    def href(n: int) -> str:
        return base if n == 1 else f"{base}?page={n}"

    links = [f'<li class="previous"><a href="{href(number - 1)}">« Previous</a></li>'] if number > 1 else []
    links += [
        f'<li class="current">{n}</li>' if n == number else f'<li><a href="{href(n)}">{n}</a></li>'
        for n in range(1, pages + 1)
    ]
    if number < pages:
        links.append(f'<li class="next"><a href="{href(number + 1)}">Next »</a></li>')
    return f'<ul class="pager">{"".join(links)}</ul>'


def page_number(request: web.Request, pages: int) -> int:
    try:
        number = int(request.query.get("page", "1"))
    except ValueError:
        raise web.HTTPNotFound() from None
    if not 1 <= number <= pages:
        raise web.HTTPNotFound()
    return number


def find_section(slug: str) -> dict[str, Any] | None:
    return next((s for s in DATA["sections"] + DATA["staff_sections"] if s["slug"] == slug), None)


def thread_entry(entry: int | str, port: int | None) -> str:
    """One line of a thread list; ``entry`` is an id or a cross-listed link such as '5?from=x'."""
    thread_id = int(str(entry).split("?")[0])
    thread = DATA["threads"][str(thread_id)]
    title = escape(thread["title"] or "(untitled)")
    extra = ""
    if isinstance(entry, str):
        title += f' <small>(in {escape(find_section(thread["section"])["name"])})</small>'
    else:
        extra += f' · <a class="reply" href="/thread/{thread_id}/reply">Reply</a>'
        if "attachment" in thread:
            extra += f' · <a class="attachment" href="/thread/{thread_id}/{thread["attachment"]}">PDF</a>'
        if thread.get("mirror"):
            extra += f' · <a class="mirror" href="http://localhost:{port}/thread/{thread_id}">Mirror</a>'
    replies = max(len(thread["posts"]) - 1, 0)
    return (
        f'<li><a class="thread" href="/thread/{entry}">{title}</a>'
        f' <span class="replies">{replies} {"reply" if replies == 1 else "replies"}</span>{extra}</li>'
    )


# ---------------------------------------------------------------- public pages


async def home(request: web.Request) -> web.Response:
    user = current_user(request)
    body = "<h1>Crawlers' Forum</h1>"
    body += '<p>Read the <a href="/forum">forum</a>.</p>' if user else "<p>Log in to read the forum.</p>"
    return page("Home", body, user)


async def robots(request: web.Request) -> web.Response:
    return web.Response(text="User-agent: *\nDisallow: /search\n")


async def search(request: web.Request) -> web.Response:
    return page("Search", "<h1>Search</h1><p>Search is not available.</p>", current_user(request))


async def login_form(request: web.Request, message: str = "") -> web.Response:
    token = request.cookies.get(CSRF_COOKIE)
    if token not in request.app[CSRF_TOKENS]:
        token = secrets.token_urlsafe(16)
        request.app[CSRF_TOKENS].add(token)
    next_path = request.query.get("next", "/")
    error = f'<p class="error">{escape(message)}</p>' if message else ""
    body = f"""<h1>Log in</h1>{error}
<form id="login" action="/login" method="post">
<input type="hidden" name="{CSRF_FIELD}" value="{token}">
<input type="hidden" name="next" value="{escape(next_path)}">
<label>Username <input type="text" name="username"></label>
<label>Password <input type="password" name="password"></label>
<label><input type="checkbox" name="remember" value="1" checked> Remember me</label>
<button type="submit" name="action" value="login">Log in</button>
</form>"""
    response = page("Log in", body, current_user(request))
    response.set_cookie(CSRF_COOKIE, token, path="/")
    return response


async def login_submit(request: web.Request) -> web.Response:
    form = await request.post()
    token = str(form.get(CSRF_FIELD, ""))
    if not token or token != request.cookies.get(CSRF_COOKIE) or token not in request.app[CSRF_TOKENS]:
        raise web.HTTPForbidden(text="CSRF verification failed.")
    username = str(form.get("username", ""))
    if DATA["accounts"].get(username) != form.get("password"):
        return await login_form(request, "Invalid username or password.")
    session = secrets.token_urlsafe(24)
    request.app[SESSIONS][session] = username
    next_path = str(form.get("next") or "/")
    answer = web.HTTPFound(next_path if next_path.startswith("/") and not next_path.startswith("//") else "/")
    answer.set_cookie(SESSION_COOKIE, session, path="/", httponly=True)
    raise answer


# ---------------------------------------------------------------- member pages


async def logout(request: web.Request) -> web.Response:
    request.app[SESSIONS].pop(request.cookies.get(SESSION_COOKIE, ""), None)
    answer = web.HTTPFound("/login")
    answer.del_cookie(SESSION_COOKIE, path="/")
    raise answer


async def forum_index(request: web.Request) -> web.Response:
    user = require_member(request)
    items = "".join(
        f'<li><a href="/forum/{s["slug"]}">{escape(s["name"])}</a> <p>{escape(s["description"])}</p></li>'
        for s in DATA["sections"]
    )
    return page("Forum", f'{section_nav()}<h1>Forum</h1><ul class="section-list">{items}</ul>', user)


async def section(request: web.Request) -> web.Response:
    user = require_member(request)
    found = find_section(request.match_info["slug"])
    if found is None:
        raise web.HTTPNotFound()
    if found in DATA["staff_sections"]:
        raise web.HTTPForbidden(text="Staff only.")
    entries = found["threads"]
    pages = (len(entries) + THREADS_PER_PAGE - 1) // THREADS_PER_PAGE
    number = page_number(request, pages)
    shown = entries[(number - 1) * THREADS_PER_PAGE : number * THREADS_PER_PAGE]
    threads = "".join(thread_entry(entry, request.url.port) for entry in shown)
    base = "/forum/" + found["slug"]
    body = (
        f'{section_nav()}<h1>{escape(found["name"])}</h1>'
        f'<ul class="threads">{threads}</ul>{pager(base, number, pages)}'
        '<aside class="staff-picks"><h2>Staff picks</h2><ul>'
        '<li><a href="/thread/50">Moderator rota</a></li><li><a href="/forum/staff">Staff Room</a></li>'
        "</ul></aside>"
    )
    return page(found["name"], body, user)


def load_thread(request: web.Request) -> tuple[str, int, dict[str, Any]]:
    """The member, the thread id and the thread of a /thread/{id}... URL, or 403/404."""
    user = require_member(request, redirect=False)
    thread = DATA["threads"].get(request.match_info["id"])
    if thread is None:
        raise web.HTTPNotFound()
    if thread["section"] == "staff" and not any(
        m["username"] == user and m["role"] == "Moderator" for m in DATA["members"]
    ):
        raise web.HTTPForbidden(text="Staff only.")
    return user, int(request.match_info["id"]), thread


async def thread_page(request: web.Request) -> web.Response:
    user, thread_id, thread = load_thread(request)
    forum_section = find_section(thread["section"])
    tags = "".join(f"<li>{escape(tag)}</li>" for tag in thread["tags"])
    posts = "".join(
        f'<li class="post"><span class="post-author">{escape(post["author"])}</span>'
        f' <time datetime="{post["at"]}">{post["at"].replace("T", " ")}</time>'
        f'<div class="post-body">{"".join(f"<p>{escape(p)}</p>" for p in post["body"])}</div></li>'
        for post in thread["posts"]
    )
    content = f'<ol class="posts">{posts}</ol>' if posts else '<p class="removed">Removed by a moderator.</p>'
    body = (
        f'<nav class="breadcrumb"><a href="/forum">Forum</a> › '
        f'<a href="/forum/{forum_section["slug"]}">{escape(forum_section["name"])}</a></nav>'
        f'<article class="thread" data-thread-id="{thread_id}">'
        f'<h1 class="thread-title">\n  {escape(thread["title"])}\n</h1>'
        f'<ul class="tags">{tags}</ul>{content}'
        f'<p><a class="reply" href="/thread/{thread_id}/reply">Reply</a></p></article>'
    )
    head = f'<link rel="canonical" href="/thread/{thread_id}">'
    return page(thread["title"] or "Thread", body, user, head)


async def thread_reply(request: web.Request) -> web.Response:
    user, thread_id, _ = load_thread(request)
    form = f'<form method="post" action="/thread/{thread_id}/reply"><textarea name="text"></textarea></form>'
    return page("Reply", f"<h1>Reply</h1>{form}", user)


async def attachment(request: web.Request) -> web.Response:
    _, _, thread = load_thread(request)
    if thread.get("attachment") != request.match_info["name"]:
        raise web.HTTPNotFound()
    return web.Response(body=b"%PDF-1.4\n% an example attachment\n%%EOF\n", content_type="application/pdf")


async def members(request: web.Request) -> web.Response:
    user = require_member(request)
    everyone = DATA["members"]
    pages = (len(everyone) + MEMBERS_PER_PAGE - 1) // MEMBERS_PER_PAGE
    number = page_number(request, pages)
    shown = everyone[(number - 1) * MEMBERS_PER_PAGE : number * MEMBERS_PER_PAGE]
    entries = "".join(
        f'<li><a class="profile" href="/members/{m["username"]}">{escape(m["name"])}</a>'
        f' <a class="message" href="/members/{m["username"]}/message">Message</a></li>'
        for m in shown
    )
    body = f'<h1>Members</h1><ul class="members">{entries}</ul>{pager("/members", number, pages)}'
    return page("Members", body, user)


async def member(request: web.Request) -> web.Response:
    user = require_member(request)
    found = next((m for m in DATA["members"] if m["username"] == request.match_info["username"]), None)
    if found is None:
        raise web.HTTPNotFound()
    body = f"""<div class="profile">
<h1 class="display-name"> {escape(found["name"])} </h1>
<dl>
<dt>Username</dt><dd class="username">{escape(found["username"])}</dd>
<dt>Role</dt><dd class="role">{escape(found["role"])}</dd>
<dt>Joined</dt><dd class="joined"><time datetime="{found["joined"]}">{found["joined"]}</time></dd>
<dt>Posts</dt><dd class="posts">{found["posts"]:,} posts</dd>
<dt>Location</dt><dd class="location">{escape(found["location"])}</dd>
</dl>
</div>"""
    return page(found["name"], body, user)


def make_app() -> web.Application:
    """A fresh forum: no sessions, an empty request log."""
    app = web.Application(middlewares=[record_requests])
    app[REQUEST_LOG] = []
    app[SESSIONS] = {}
    app[CSRF_TOKENS] = set()
    app.router.add_get("/", home)
    app.router.add_get("/robots.txt", robots)
    app.router.add_get("/search", search)
    app.router.add_get("/login", login_form)
    app.router.add_post("/login", login_submit)
    app.router.add_get("/forum", forum_index)
    app.router.add_get("/forum/logout", logout)
    app.router.add_get("/forum/{slug}", section)
    app.router.add_get("/thread/{id:\\d+}", thread_page)
    app.router.add_get("/thread/{id:\\d+}/reply", thread_reply)
    app.router.add_get("/thread/{id:\\d+}/{name:[\\w-]+\\.pdf}", attachment)
    app.router.add_get("/members", members)
    app.router.add_get("/members/{username}", member)
    return app


async def serve(port: int) -> None:
    """Serve until cancelled; print the base URL as soon as the port is bound."""
    runner = web.AppRunner(make_app(), access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", port).start()
        print(f"http://127.0.0.1:{runner.addresses[0][1]}", flush=True)
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def main(argv: list[str]) -> int:
    try:
        asyncio.run(serve(int(argv[1]) if len(argv) > 1 else 0))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
