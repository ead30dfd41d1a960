"""Shared fixtures. Servers run in threads of their own (tests/sites/serving.py), so sync tests,
async tests and subprocesses can all reach them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.kafka_broker import kafka_broker  # noqa: F401  (Kafka: start, pause, stop)
from tests.mongo_server import mongo_server, mongo_uri  # noqa: F401  (MongoDB: start, stop, restart)
from tests.redis_server import redis_server, redis_url  # noqa: F401  (Redis: start, stop)
from tests.sites import make_failure_app, make_link_site, serve_app_in_thread


@pytest.fixture(scope="session", autouse=True)
def state_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Per-user state (the remote control's job files, which a killed crawl leaves behind) goes
    to a temporary folder, for the crawls of the tests and for their subprocesses, never to
    the user's home."""
    with pytest.MonkeyPatch.context() as patch:
        path = tmp_path_factory.mktemp("state-home")
        patch.setenv("XDG_STATE_HOME", str(path))
        yield path


@pytest.fixture
def link_site() -> Iterator[Callable[..., str]]:
    """``link_site(pages, links_per_page, seed=0)`` serves a generated site; returns its base URL."""
    with ExitStack() as servers:

        def start(pages: int = 2000, links_per_page: int = 20, seed: int = 0) -> str:
            return servers.enter_context(serve_app_in_thread(make_link_site(pages, links_per_page, seed)))

        yield start


@pytest.fixture(scope="session")
def test_server_url() -> Iterator[str]:
    """Base URL of the failure endpoints (tests/sites/failures.py), one per session."""
    with serve_app_in_thread(make_failure_app()) as url:
        yield url
