"""``startproject NAME [DIR]``: lay out a new project from the project template."""

from __future__ import annotations

import argparse
import re
import shutil
import stat
import string
from importlib.util import find_spec
from pathlib import Path
from typing import Any, ClassVar

from ascrapy.cli.base import ScrapyCommand, import_package, product_label
from ascrapy.exceptions import UsageError
from ascrapy.settings import BaseSettings, default_settings

# Files rendered with string.Template after copying; "${project_name}" in a path is the
# package folder, which the template calls "module".
TEMPLATES_TO_RENDER: tuple[tuple[str, ...], ...] = (
    ("scrapy.cfg",),
    ("${project_name}", "settings.py.tmpl"),
    ("${project_name}", "items.py.tmpl"),
    ("${project_name}", "pipelines.py.tmpl"),
    ("${project_name}", "middlewares.py.tmpl"),
)

IGNORE = shutil.ignore_patterns("*.pyc", "__pycache__", ".svn")

_VALID_PROJECT_NAME = re.compile(r"^[_a-zA-Z]\w*$")
_NOT_ALPHANUMERIC = re.compile(r"[^a-zA-Z\d]")


def templates_dir(settings: BaseSettings, kind: str) -> str:
    """The ``kind`` ("project" or "spiders") folder of TEMPLATES_DIR, or of ascrapy's own
    templates when the setting is empty."""
    return str(Path(settings.get("TEMPLATES_DIR") or default_settings.TEMPLATES_DIR, kind))


def string_camelcase(text: str) -> str:
    """``lost-pound`` -> ``LostPound``: title-case the words, drop everything else."""
    return _NOT_ALPHANUMERIC.sub("", text.title())


def render_templatefile(path: str | Path, **variables: Any) -> None:
    """Substitute ``$name`` placeholders in a file; ``x.py.tmpl`` becomes ``x.py``."""
    source = Path(path)
    content = string.Template(source.read_text("utf-8")).substitute(**variables)
    target = source.with_suffix("") if source.suffix == ".tmpl" else source
    if target != source:
        source.rename(target)
    target.write_text(content, "utf-8")


def _add_owner_write(path: Path) -> None:
    # templates installed read-only must still give the user editable files
    path.chmod(path.stat().st_mode | stat.S_IWUSR)


def copy_template_tree(source: Path, destination: Path) -> None:
    """Copy a template folder into ``destination``, which may exist already.

    Files keep the template's permissions plus owner-write; existing files and folders
    in ``destination`` that the template does not have are left as they are.
    """
    names = [entry.name for entry in source.iterdir()]
    ignored = IGNORE(str(source), names)
    destination.mkdir(parents=True, exist_ok=True)
    for name in names:
        if name in ignored:
            continue
        if (source / name).is_dir():
            copy_template_tree(source / name, destination / name)
        else:
            shutil.copy2(source / name, destination / name)
            _add_owner_write(destination / name)
    shutil.copystat(source, destination)
    _add_owner_write(destination)


class Command(ScrapyCommand):
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "<project_name> [project_dir]"

    def short_desc(self) -> str:
        return "Create new project"

    @property
    def templates_dir(self) -> str:
        assert self.settings is not None
        return templates_dir(self.settings, "project")

    def _name_error(self, project_name: str) -> str | None:
        if not _VALID_PROJECT_NAME.search(project_name):
            return (
                "Error: Project names must begin with a letter and contain only\n"
                "letters, numbers and underscores"
            )
        spec = find_spec(project_name)
        if spec is not None and spec.loader is not None:
            return f"Error: Module {project_name!r} already exists"
        return None

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) not in (1, 2):
            raise UsageError
        project_name = args[0]
        project_dir = Path(args[-1])
        if (project_dir / "scrapy.cfg").exists():
            self.exitcode = 1
            print(f"Error: scrapy.cfg already exists in {project_dir.resolve()}")
            return
        error = self._name_error(project_name)
        if error:
            self.exitcode = 1
            print(error)
            return

        copy_template_tree(Path(self.templates_dir), project_dir.resolve())
        shutil.move(project_dir / "module", project_dir / project_name)
        variables = {
            "project_name": project_name,
            "ProjectName": string_camelcase(project_name),
            "package": import_package(self.prog_name),
        }
        for parts in TEMPLATES_TO_RENDER:
            relative = [string.Template(part).substitute(project_name=project_name) for part in parts]
            template_file = project_dir.joinpath(*relative)
            if template_file.exists():
                render_templatefile(template_file, **variables)
        print(
            f"New {product_label(self.prog_name)} project '{project_name}', using template directory "
            f"'{self.templates_dir}', created in:\n"
            f"    {project_dir.resolve()}\n\n"
            "You can start your first spider with:\n"
            f"    cd {project_dir}\n"
            f"    {self.prog_name} genspider example example.com"
        )
