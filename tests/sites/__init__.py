"""Local sites that tests, examples and benchmarks crawl; all served on 127.0.0.1.

Plain modules (no pytest import) so that bench/ can use them too: with the repository
root on sys.path, ``from tests.sites import make_link_site``.

- link.py: ``make_link_site``, a deterministic generated site of N pages with K links each
  (the "2,000-page site, 20 links per page" of the tests and benchmarks), and
  ``write_link_site``, the same pages as static files for nginx or any static server.
- failures.py: ``make_failure_app``, small endpoints for what goes wrong on the web
  (statuses, slow and big bodies, compression, redirects, cookies, a login form, odd
  encodings).
- hostile.py: ``make_hostile_app``, a path per way a server can hurt a crawler (endless,
  trickling and reset bodies, bombs, lying headers, huge heads), for tests/test_fault_matrix.py.
- serving.py: ``start_app`` / ``serve_app_in_thread`` run an app on a free port in the
  current loop or in a thread of its own (for subprocesses and code that runs its own
  event loop); ``serve_command`` runs a server command that prints its URL;
  ``crawl_links``, a plain aiohttp crawl, checks that a site is whole.
- examples.py: ``load_example``, the sites of examples/ imported by path.

From a shell (cli.py), to serve a site in a process of its own (benchmarks) or write it to disk::

    python -m tests.sites link --pages 2000 --links 20 [--seed 0] [--port 8000]
    python -m tests.sites failures [--port 8001]
    python -m tests.sites write DIRECTORY --pages 2000 --links 20 [--layout directory]
"""

from tests.sites.cli import main
from tests.sites.examples import EXAMPLES_DIR, load_example
from tests.sites.failures import (
    ENCODING_NAMES,
    ENCODING_SAMPLE_TEXT,
    JSON_DOCUMENT,
    LOGIN_PASSWORD,
    LOGIN_USER,
    encoded_page,
    make_failure_app,
    session_token,
)
from tests.sites.link import (
    link_targets,
    make_link_site,
    make_pages_site,
    render_link_index,
    render_link_page,
    write_link_site,
)
from tests.sites.serving import crawl_links, serve_app_in_thread, serve_command, start_app

__all__ = [
    "ENCODING_NAMES",
    "ENCODING_SAMPLE_TEXT",
    "EXAMPLES_DIR",
    "JSON_DOCUMENT",
    "LOGIN_PASSWORD",
    "LOGIN_USER",
    "crawl_links",
    "encoded_page",
    "link_targets",
    "load_example",
    "main",
    "make_failure_app",
    "make_link_site",
    "make_pages_site",
    "render_link_index",
    "render_link_page",
    "serve_app_in_thread",
    "serve_command",
    "session_token",
    "start_app",
    "write_link_site",
]
