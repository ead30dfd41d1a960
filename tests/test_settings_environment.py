"""Settings from ASCRAPY_<NAME> environment variables: what a manifest sets without code."""

from __future__ import annotations

import textwrap
from pathlib import Path

from ascrapy.settings.environment import settings_from_environment
from tests.cli_helpers import Cli, _project_template, cli, project, workdir  # noqa: F401 - fixtures


def test_prefixed_upper_case_names_become_settings() -> None:
    found = settings_from_environment({
        "ASCRAPY_CONCURRENT_REQUESTS": "32",
        "ASCRAPY_ITEM_PIPELINES": '{"p.Pipeline": 300}',
        "ASCRAPY_SPIDER_MODULES": '["a.spiders", "b.spiders"]',
        "ASCRAPY_BOT_NAME": "{not json",
        "ASCRAPY_lower": "x",
        "ASCRAPY_": "x",
        "SCRAPY_DOWNLOAD_DELAY": "3",
        "PATH": "/bin",
    })
    assert found == {
        "CONCURRENT_REQUESTS": "32",
        "ITEM_PIPELINES": {"p.Pipeline": 300},
        "SPIDER_MODULES": ["a.spiders", "b.spiders"],
        "BOT_NAME": "{not json",
    }


def test_environment_over_the_project_and_the_command_line_over_both(cli: Cli, project: Path) -> None:
    assert cli("settings", "--getfloat", "DOWNLOAD_DELAY", cwd=project).stdout == "1.0\n"
    from_env = cli("settings", "--getfloat", "DOWNLOAD_DELAY", cwd=project, ASCRAPY_DOWNLOAD_DELAY="2.5")
    assert from_env.stdout == "2.5\n"
    both = cli("settings", "--getfloat", "DOWNLOAD_DELAY", "-s", "DOWNLOAD_DELAY=4", cwd=project,
               ASCRAPY_DOWNLOAD_DELAY="2.5")
    assert both.stdout == "4.0\n"


def test_scrapy_prefix_stays_ignored_as_in_scrapy(cli: Cli, project: Path) -> None:
    result = cli("settings", "--getfloat", "DOWNLOAD_DELAY", cwd=project, SCRAPY_DOWNLOAD_DELAY="7")
    assert result.stdout == "1.0\n"


def test_json_containers_and_booleans(cli: Cli, workdir: Path) -> None:
    pipelines = cli("settings", "--get", "ITEM_PIPELINES", cwd=workdir, ASCRAPY_ITEM_PIPELINES='{"a.B": 300}')
    assert pipelines.stdout == '{"a.B": 300}\n'
    flag = cli("settings", "--getbool", "LOG_JSON", cwd=workdir, ASCRAPY_LOG_JSON="true")
    assert flag.stdout == "True\n"


def test_environment_wins_over_custom_settings_in_a_crawl(cli: Cli, workdir: Path) -> None:
    spider = workdir / "configured.py"
    spider.write_text(textwrap.dedent("""
        import ascrapy

        class Configured(ascrapy.Spider):
            name = "configured"
            custom_settings = {"CONCURRENT_REQUESTS": 3, "USER_AGENT": "from-code"}

            async def start(self):
                return
                yield

            def closed(self, reason):
                print("CONCURRENT_REQUESTS", self.settings.getint("CONCURRENT_REQUESTS"))
                print("USER_AGENT", self.settings.get("USER_AGENT"))
    """))
    result = cli("runspider", str(spider), "-L", "WARNING", cwd=workdir, ASCRAPY_CONCURRENT_REQUESTS="5")
    assert result.returncode == 0, result.stderr
    assert "CONCURRENT_REQUESTS 5\n" in result.stdout
    assert "USER_AGENT from-code\n" in result.stdout
