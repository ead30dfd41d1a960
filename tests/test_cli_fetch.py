"""``fetch URL``, run as a subprocess against the failure endpoints (tests/sites/failures.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli_helpers import Cli, _project_template, cli, project, workdir, write_spider  # noqa: F401


@pytest.mark.parametrize("args", [(), ("not-a-url",), ("a:b", "c:d")])
def test_fetch_bad_arguments(cli: Cli, workdir: Path, args: tuple[str, ...]) -> None:
    result = cli("fetch", *args, cwd=workdir)
    assert result.returncode == 2
    assert "Usage" in result.stdout


def test_fetch_prints_body(cli: Cli, workdir: Path, test_server_url: str) -> None:
    result = cli("fetch", "--nolog", f"{test_server_url}/status/200", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "status 200\n"


def test_fetch_keeps_error_statuses(cli: Cli, workdir: Path, test_server_url: str) -> None:
    result = cli("fetch", "--nolog", f"{test_server_url}/status/404", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "status 404\n"


def test_fetch_follows_redirects_unless_told(cli: Cli, workdir: Path, test_server_url: str) -> None:
    url = f"{test_server_url}/redirect/1"
    assert cli("fetch", "--nolog", url, cwd=workdir).stdout == "redirect chain done\n"
    # the 302 itself: its empty body, and its headers
    assert cli("fetch", "--nolog", "--no-redirect", url, cwd=workdir).stdout == "\n"
    raw = cli("fetch", "--nolog", "--no-redirect", "--headers", url, cwd=workdir)
    assert re.search(r"^< Location: /redirect/0$", raw.stdout, re.M | re.I), raw.stdout


def test_fetch_headers(cli: Cli, workdir: Path, test_server_url: str) -> None:
    out = cli("fetch", "--nolog", "--headers", f"{test_server_url}/status/200", cwd=workdir).stdout
    assert re.search(r"^> User-Agent: ", out, re.M)
    assert "\n>\n" in out
    assert re.search(r"^< Content-Type: text/plain; charset=utf-8$", out, re.M | re.I)
    assert "status 200" not in out  # the headers instead of the body


def test_fetch_with_project_spider(cli: Cli, project: Path, test_server_url: str) -> None:
    write_spider(
        project,
        "agent",
        """
        import ascrapy

        class AgentSpider(ascrapy.Spider):
            name = "agent"
            custom_settings = {"USER_AGENT": "agent-spider-ua"}
        """,
    )
    url = f"{test_server_url}/status/200"
    result = cli("fetch", "--nolog", "--headers", "--spider", "agent", url, cwd=project)
    assert "> User-Agent: agent-spider-ua" in result.stdout, result.stderr
    missing = cli("fetch", "--nolog", "--spider", "nope", url, cwd=project)
    assert missing.returncode == 1
    assert missing.stderr == "ascrapy fetch: error: Spider not found: nope\n"
