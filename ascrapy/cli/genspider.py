"""``genspider NAME DOMAIN``: write a new spider module from a template."""

from __future__ import annotations

import argparse
import shutil
import string
from importlib import import_module
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlparse

from ascrapy.cli.base import ScrapyCommand, import_package
from ascrapy.cli.edit import edit_file
from ascrapy.cli.startproject import (
    render_templatefile,
    string_camelcase,
    templates_dir,
)
from ascrapy.exceptions import UsageError
from ascrapy.spiderloader import get_spider_loader


def sanitize_module_name(module_name: str) -> str:
    """A valid module name: dashes and dots become underscores, a leading non-letter gets 'a'."""
    module_name = module_name.replace("-", "_").replace(".", "_")
    if module_name[:1] not in string.ascii_letters:
        module_name = "a" + module_name
    return module_name


def extract_domain(url: str) -> str:
    """The host (and port) part of ``url``."""
    return urlparse(url).netloc


def verify_url_scheme(url: str) -> str:
    """``example.com/path`` -> ``https://example.com/path``; URLs with a scheme stay as given."""
    parsed = urlparse(url)
    if not parsed.scheme and not parsed.netloc:
        parsed = urlparse("//" + url)._replace(scheme="https")
    return parsed.geturl()


class Command(ScrapyCommand):
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[options] <name> <domain>"

    def short_desc(self) -> str:
        return "Generate new spider using pre-defined templates"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("-l", "--list", dest="list", action="store_true", help="List available templates")
        parser.add_argument(
            "-e", "--edit", dest="edit", action="store_true", help="Edit spider after creating it"
        )
        parser.add_argument(
            "-d", "--dump", dest="dump", metavar="TEMPLATE", help="Dump template to standard output"
        )
        parser.add_argument(
            "-t",
            "--template",
            dest="template",
            default="basic",
            help="Uses a custom template, given by name or by path to a .tmpl file.",
        )
        parser.add_argument(
            "--force",
            dest="force",
            action="store_true",
            help="If the spider already exists, overwrite it with the template",
        )

    @property
    def templates_dir(self) -> str:
        assert self.settings is not None
        return templates_dir(self.settings, "spiders")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if opts.list:
            self._list_templates()
            return
        if opts.dump:
            template_file = self._find_template(opts.dump)
            if template_file:
                print(template_file.read_text(encoding="utf-8"))
            return
        if len(args) != 2:
            raise UsageError

        name, url = args
        url = verify_url_scheme(url)
        module = sanitize_module_name(name)
        if self.settings.get("BOT_NAME") == module:
            print("Cannot create a spider with the same name as your project")
            return
        if not opts.force and self._spider_exists(name):
            return
        template_file = self._find_template(opts.template)
        if template_file is None:
            return
        spider_file = self._genspider(module, name, url, opts.template, template_file)
        if opts.edit:
            self.exitcode = edit_file(self.settings.get("EDITOR"), spider_file)

    def _template_variables(self, module: str, name: str, url: str) -> dict[str, Any]:
        assert self.settings is not None
        bot_name = self.settings.get("BOT_NAME")
        return {
            "project_name": bot_name,
            "ProjectName": string_camelcase(bot_name),
            "module": module,
            "name": name,
            "url": url,
            "domain": extract_domain(url),
            "classname": "".join(part.capitalize() for part in module.split("_")) + "Spider",
            "package": import_package(self.prog_name),
        }

    def _newspider_package(self) -> Any:
        assert self.settings is not None
        module_path = self.settings.get("NEWSPIDER_MODULE")
        return import_module(module_path) if module_path else None

    @staticmethod
    def _spiders_dir(package: Any) -> Path:
        """Where new spiders go: NEWSPIDER_MODULE's folder, else the current one."""
        return Path(package.__file__).parent.resolve() if package else Path()

    def _genspider(self, module: str, name: str, url: str, template_name: str, template_file: Path) -> Path:
        package = self._newspider_package()
        spider_file = self._spiders_dir(package) / f"{module}.py"
        shutil.copyfile(template_file, spider_file)
        render_templatefile(spider_file, **self._template_variables(module, name, url))
        if package:
            print(
                f"Created spider {name!r} using template {template_name!r} in module:\n"
                f"  {package.__name__}.{module}"
            )
        else:
            print(f"Created spider {name!r} using template {template_name!r} ")
        return spider_file

    def _find_template(self, template: str) -> Path | None:
        filename = template if template.endswith(".tmpl") else f"{template}.tmpl"
        for candidate in (Path(filename), Path(self.templates_dir, filename)):
            if candidate.exists():
                return candidate
        print(
            f"Unable to find template: {template}\n\n"
            f'Use "{self.prog_name} genspider --list" to see all available templates.'
        )
        return None

    def _list_templates(self) -> None:
        names = sorted(entry.stem for entry in Path(self.templates_dir).iterdir() if entry.suffix == ".tmpl")
        print("Available templates:")
        for template_name in names:
            print(f"  {template_name}")

    def _spider_exists(self, name: str) -> bool:
        """Whether a spider called ``name``, or a file ``name``.py, is already there (it says so)."""
        assert self.settings is not None
        package = self._newspider_package()
        if package is not None:
            try:
                spidercls = get_spider_loader(self.settings).load(name)
            except KeyError:
                pass
            else:
                print(f"Spider {name!r} already exists in module:\n  {spidercls.__module__}")
                return True
        path = self._spiders_dir(package) / f"{name}.py"
        if path.exists():
            print(f"{path.resolve()} already exists")
            return True
        return False
