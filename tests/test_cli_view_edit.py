"""``ascrapy view`` (with a stub browser named by $BROWSER) and ``ascrapy edit`` (with a stub editor)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_helpers import Cli, _project_template, cli, project, workdir, write_spider  # noqa: F401
from tests.sites import make_link_site, serve_app_in_thread


@pytest.fixture(scope="module")
def site_url() -> Iterator[str]:
    with serve_app_in_thread(make_link_site(pages=3, links_per_page=1)) as url:
        yield url


def _recording_program(path: Path, record: Path) -> Path:
    """An executable that appends its arguments, one per line, to ``record``."""
    path.write_text(f'#!/bin/sh\nfor arg in "$@"; do echo "$arg" >> "{record}"; done\n')
    path.chmod(0o755)
    return path


@pytest.fixture
def browser(tmp_path: Path) -> tuple[Path, Path]:
    """A stub browser for webbrowser's $BROWSER, and the file listing what it was asked to open."""
    record = tmp_path / "opened.txt"
    return _recording_program(tmp_path / "stub-browser", record), record


# --- view --------------------------------------------------------------------------------------


def test_view_opens_the_page_with_a_base_tag(
    cli: Cli, tmp_path: Path, site_url: str, browser: tuple[Path, Path]
) -> None:
    program, record = browser
    result = cli("view", "--nolog", f"{site_url}/page/1", cwd=tmp_path, BROWSER=str(program))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    (opened,) = record.read_text().splitlines()
    assert opened.startswith("file://") and opened.endswith(".html")
    saved = Path(opened.removeprefix("file://"))
    html = saved.read_text()
    saved.unlink()
    assert html.startswith(f'<!DOCTYPE html><base href="{site_url}/page/1">')
    assert "<h1>Page 1</h1>" in html


def test_view_refuses_a_binary_response(cli: Cli, tmp_path: Path, browser: tuple[Path, Path]) -> None:
    program, record = browser
    image = tmp_path / "pixel.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
    result = cli("view", image.as_uri(), cwd=tmp_path, BROWSER=str(program))
    assert result.returncode == 0
    assert "Cannot view a non-text response." in result.stderr
    assert not record.exists()


def test_view_help_hides_headers(cli: Cli, tmp_path: Path) -> None:
    out = cli("view", "-h", cwd=tmp_path).stdout
    assert out.startswith("Usage\n=====\n  ascrapy view [options] <url>")
    assert "--no-redirect" in out
    assert "--headers" not in out


def test_view_needs_a_url(cli: Cli, tmp_path: Path) -> None:
    result = cli("view", "not a url", cwd=tmp_path)
    assert result.returncode == 2


# --- edit --------------------------------------------------------------------------------------


@pytest.fixture
def books(project: Path) -> Path:
    """The project, with one spider: books."""
    write_spider(
        project,
        "books",
        """
        import ascrapy

        class BooksSpider(ascrapy.Spider):
            name = "books"
        """,
    )
    return project


def test_edit_runs_the_editor_variable_with_its_arguments(cli: Cli, books: Path, tmp_path: Path) -> None:
    record = tmp_path / "edited.txt"
    editor = _recording_program(tmp_path / "stub-editor", record)
    result = cli("edit", "books", cwd=books, EDITOR=f"{editor} --wait")
    assert result.returncode == 0, result.stderr
    flag, path = record.read_text().splitlines()
    assert flag == "--wait"
    assert Path(path).resolve() == (books / "demo" / "spiders" / "books.py").resolve()


def test_edit_uses_the_editor_setting_and_its_exit_code(cli: Cli, books: Path, tmp_path: Path) -> None:
    failing = tmp_path / "failing-editor"
    failing.write_text("#!/bin/sh\nexit 3\n")
    failing.chmod(0o755)
    with (books / "demo" / "settings.py").open("a") as settings:
        settings.write(f'\nEDITOR = "{failing}"\n')
    assert cli("edit", "books", cwd=books).returncode == 3


def test_edit_errors(cli: Cli, books: Path, tmp_path: Path) -> None:
    missing = cli("edit", "nope", cwd=books, EDITOR="true")
    assert missing.returncode == 1
    assert missing.stderr == "Spider not found: nope\n"
    assert cli("edit", cwd=books, EDITOR="true").returncode == 2
    outside = cli("edit", "books", cwd=tmp_path)
    assert outside.returncode == 2
    assert "The edit command is not available from this location." in outside.stdout
