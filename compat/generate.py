"""Writes compat/scrapy/** and compat/MISSING.md from a Scrapy source tree (run by hand).

Usage: python compat/generate.py /path/to/unpacked/scrapy-2.19.0
       python compat/generate.py compat/scrapy-names.json [--output DIR]

The first form also writes compat/scrapy-names.json, Scrapy's names as the generator read them;
the second regenerates from that file alone (into DIR, for tests/test_compat_generated.py, which
fails when the committed compat differs from what this script writes).

It reads Scrapy's modules as syntax trees (nothing of Scrapy is imported or copied), finds
each one's ascrapy counterpart by the rules of docs/internals.md, and writes a module of
``from ascrapy.x import Name`` lines for every name Scrapy's module exposes that ascrapy
defines. The names ascrapy lacks go to MISSING.md. Run it with the interpreter ascrapy is
installed in: it imports ascrapy to check that every re-exported name is really there.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from identity import identity_source, is_identity, scrapy_names
from scan import AscrapyIndex, ScrapyModule, ScrapySource
from top_level import TOP_LEVEL_PREAMBLE, import_from_own_submodules, with_top_level_submodules, write_version_file

COMPAT_DIR = Path(__file__).resolve().parent
NAMES_FILE = COMPAT_DIR / "scrapy-names.json"
ASCRAPY_DIR = COMPAT_DIR.parent / "ascrapy"
LINE_LIMIT = 100

# Scrapy module prefix -> ascrapy module prefix, most specific first (docs/internals.md).
# Anything not listed maps scrapy.X.Y -> ascrapy.X.Y.
PREFIX_MAP: list[tuple[str, str]] = [
    ("scrapy.settings.default_settings", "ascrapy.settings.defaults"),
    ("scrapy.downloadermiddlewares", "ascrapy.middleware.downloader"),
    ("scrapy.spidermiddlewares", "ascrapy.middleware.spider"),
    ("scrapy.middleware", "ascrapy.middleware.manager"),
    ("scrapy.core.engine", "ascrapy.engine.engine"),
    ("scrapy.core.scheduler", "ascrapy.engine.scheduler"),
    ("scrapy.core.scraper", "ascrapy.engine.scraper"),
    ("scrapy.core.spidermw", "ascrapy.middleware.spidermw"),
    ("scrapy.core.downloader.middleware", "ascrapy.middleware.downloadermw"),
    ("scrapy.core.downloader.handlers", "ascrapy.handlers"),
    ("scrapy.core.downloader.tls", "ascrapy.utils.twisted_tls"),
    ("scrapy.core.downloader", "ascrapy.engine.downloader"),
    ("scrapy.statscollectors", "ascrapy.stats"),
    ("scrapy.selector.unified", "ascrapy.selector"),
    ("scrapy.cmdline", "ascrapy.cli.main"),
    ("scrapy.__main__", "ascrapy.cli.main"),
    ("scrapy.commands", "ascrapy.cli"),
    ("scrapy", "ascrapy"),
]

# Where ascrapy splits one Scrapy module in two, the second place to look.
EXTRA_COUNTERPARTS: dict[str, list[str]] = {
    "scrapy.utils.request": ["ascrapy.fingerprint"],
    "scrapy.utils.conf": ["ascrapy.utils.project"],
    "scrapy.core.downloader": ["ascrapy.engine.slots"],
}

# A Scrapy name that ascrapy provides under another name: (module, name) -> (module, name).
RENAMES: dict[tuple[str, str], tuple[str, str]] = {
    # scrapy.__version__ is the Scrapy API level ascrapy emulates (plugins gate on it);
    # ascrapy.__version__ stays ascrapy's own.
    ("scrapy", "__version__"): ("ascrapy.version", "SCRAPY_VERSION"),
    ("scrapy", "version_info"): ("ascrapy.version", "scrapy_version_info"),
    # Scrapy's own test settings name the aiohttp handler; ascrapy's HTTP handler is aiohttp.
    ("scrapy.core.downloader.handlers._aiohttp", "AiohttpDownloadHandler"): (
        "ascrapy.handlers.http",
        "HTTPDownloadHandler",
    ),
    # The TWISTED_REACTOR value for asyncio, which Scrapy keeps under a private name.
    ("scrapy.utils.reactor", "_asyncio_reactor_path"): ("ascrapy.utils.reactor", "ASYNCIO_REACTOR_PATH"),
    # Scrapy's scraper runs callbacks' output through this private helper; ascrapy's is public.
    ("scrapy.utils.asyncio", "_parallel_asyncio"): ("ascrapy.utils.defer", "parallel_async"),
    # Scrapy's other HTTP handlers are aliases of ascrapy's one HTTP handler (aiohttp): settings
    # and plugins that name them (DOWNLOAD_HANDLERS, isinstance checks) get it.
    ("scrapy.core.downloader.handlers.http11", "HTTP11DownloadHandler"): (
        "ascrapy.handlers.http",
        "HTTPDownloadHandler",
    ),
    ("scrapy.core.downloader.handlers._httpx", "HttpxDownloadHandler"): (
        "ascrapy.handlers.http",
        "HTTPDownloadHandler",
    ),
    # Twisted TLS version limits (Scrapy's test servers build their contexts with it).
    ("scrapy.utils.ssl", "_get_cert_options_version_kwargs"): (
        "ascrapy.utils.twisted_tls",
        "_get_cert_options_version_kwargs",
    ),
}

# Paths and names from Scrapy releases before 2.19 that projects still import.
LEGACY_NAMES: dict[str, list[str]] = {
    "scrapy.loader.processors": ["Compose", "Identity", "Join", "MapCompose", "SelectJmes", "TakeFirst"],
    "scrapy.utils.misc": ["create_instance"],
}

# Every module whose names all come from its counterpart is that ascrapy module itself
# (identity.py). These must be, with the reason (a test patches them): the generator says
# "itself" for them even when a name lives elsewhere in ascrapy (listed as missing).
IDENTITY_MODULES: dict[str, str] = {
    "scrapy.settings": "tests patch its default_settings and SETTINGS_PRIORITIES",
    "scrapy.addons": "tests patch its logger and build_from_crawler",
    "scrapy.utils.log": "tests patch its _tty_supports_color",
    "scrapy.extensions.corestats": "tests patch its datetime",
    "scrapy.extensions.feedexport": "tests patch its FeedSlot",
    "scrapy.linkextractors.lxmlhtml": "tests patch its canonicalize_url",
    "scrapy.commands.check": "tests patch its ContractsManager",
    "scrapy.shell": "tests patch its start_python_console",
    "scrapy.pipelines.files": "tests patch its is_botocore_available",
    "scrapy.extensions.httpcache": "tests patch its time",
    "scrapy.downloadermiddlewares.robotstxt": "tests patch its logger",
    "scrapy.utils.deprecate": "tests patch its DEPRECATION_RULES",
    "scrapy.utils.display": "tests patch its _enable_windows_terminal_processing",
    "scrapy.utils.console": "tests patch its get_shell_embed_func",
    "scrapy.extensions.debug": "tests patch its Pdb",
    "scrapy.utils.misc": "tests patch its is_generator_with_return_value",
}

# Scrapy's own tests that ascrapy leaves out, with the reason: each needs Twisted's internals or
# private attributes of Scrapy's own classes (the rule of compat/MISSING.md). Keep it short.
LEFT_OUT_TESTS: dict[str, str] = {
    "tests/test_engine.py::test_enqueue_scrape_error": (
        "patches Scraper.enqueue_scrape, Scrapy's hand-off of a response to its scraper; in "
        "ascrapy the engine's stream runs the callback and hands items on, with no such method"
    ),
    "tests/test_core_scraper.py::test_enqueue_scrape_wrong_type": (
        "calls Scraper.enqueue_scrape, which ascrapy's scraper has not (see test_engine.py's entry)"
    ),
    "tests/test_engine_close_spider.py::test_exception_scraper": (
        "sets Scrapy's private Scraper.slot to None; ascrapy's scraper has no slot (its close "
        "failures are logged as 'Scraper close failure' all the same)"
    ),
    "tests/test_crawler.py::TestAsyncCrawlerProcessReactorlessHelpers (8 tests)": (
        "call private methods of Scrapy's AsyncCrawlerProcess (_signal_shutdown_reactorless, "
        "_signal_kill_reactorless, _create_shutdown_task, _cancel_all_tasks) on a bare instance "
        "with its private loop and main task set by hand; ascrapy's process handles signals on its "
        "loop (ascrapy.utils.shutdown), with no such methods"
    ),
    "tests/test_crawler.py::TestCrawlerProcessBaseSignalHandlers (2 tests)": (
        "call CrawlerProcessBase._signal_shutdown/_signal_kill with a mocked Twisted reactor"
    ),
    "tests/test_commands.py::TestCommandCrawlerProcess (4 tests: *_empty, *_select_forced)": (
        "assert that an `async def start()` spider fails with 'no running event loop' under a "
        "non-asyncio Twisted reactor; ascrapy always runs on asyncio, so that spider works"
    ),
    "tests/test_commands.py::TestCommandCrawlerProcess::test_project_asyncio_spider_settings_select": (
        "expects the installed Twisted reactor to refuse a spider asking for another one; "
        "ascrapy installs no reactor and TWISTED_REACTOR is inert"
    ),
    "tests/test_engine_close_spider.py::test_exception_scheduler": (
        "deletes the private dqs attribute of Scrapy's Scheduler; ascrapy's frontier keeps its "
        "disk queue in a store object"
    ),
}


# Tests of the plugins' own suites (`python -m bench.plugin_suites`: scrapy-redis 0.9.1,
# spidermon 1.27.0, scrapy-poet 0.27.2, scrapy-deltafetch 2.1.0) that pass on Scrapy 2.19.0
# but are left failing on ascrapy, with the reason (only Scrapy's private internals may be one).
PLUGIN_TESTS_LEFT_OUT: dict[str, str] = {}


def left_out_count() -> int:
    """Tests in LEFT_OUT_TESTS: an entry stands for one test unless it says "(N tests"."""
    counts = (re.search(r"\((\d+) tests", entry) for entry in LEFT_OUT_TESTS)
    return sum(int(match.group(1)) if match else 1 for match in counts)


# Modules run as programs (python -m scrapy, python -m scrapy.cmdline): they call execute().
ENTRY_POINT_MODULES = {"scrapy.__main__", "scrapy.cmdline"}

# Twisted-only internals: no project imports names from them, and ascrapy has no equivalent.
SKIPPED_MODULES = {
    "scrapy.core._http2": "HTTP/2 on Twisted",
    "scrapy.core.downloader.handlers.http2": "the Twisted HTTP/2 handler",
    "scrapy.core.downloader.contextfactory": "Twisted TLS context factories",
    "scrapy.core.downloader._idna_patch": "a patch of Twisted's IDNA handling",
}


@dataclass
class Resolution:
    """What the generator decided for one Scrapy module."""

    module: ScrapyModule
    counterpart: str
    imports: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    missing: list[str] = field(default_factory=list)


def is_skipped(dotted: str) -> bool:
    return any(dotted == s or dotted.startswith(s + ".") for s in SKIPPED_MODULES)


def counterpart_of(scrapy_module: str) -> str:
    for prefix, target in PREFIX_MAP:
        if scrapy_module == prefix or scrapy_module.startswith(prefix + "."):
            return target + scrapy_module[len(prefix) :]
    raise ValueError(scrapy_module)


def resolve(
    module: ScrapyModule, extra: list[str], index: AscrapyIndex, scrapy_homes: dict[str, int], *, identity: bool
) -> Resolution:
    """Where each name comes from; an identity module can only offer its counterpart's names.

    Outside the counterpart a name is looked up only if Scrapy defines it in one module:
    a name Scrapy defines twice (``Slot``, ``Command``) is two different things.
    """
    counterpart = counterpart_of(module.name)
    result = Resolution(module, counterpart)
    places = [counterpart, *EXTRA_COUNTERPARTS.get(module.name, [])]
    for name in dict.fromkeys(module.names + extra):
        if (module.name, name) in RENAMES:
            source, source_name = RENAMES[(module.name, name)]
            if index.exposes(source, source_name):
                result.imports[source].append((source_name, name))
                continue
        source = next((p for p in places if index.exposes(p, name)), None)
        note = None
        if source is None and not name.startswith("_") and scrapy_homes.get(name, 0) <= 1:
            source, note = index.defining_module(name)
        if source is None:
            result.missing.append(name + (f" ({note})" if note else ""))
        elif identity and source != counterpart:
            result.missing.append(f"{name} (ascrapy has it in {source}; this module is {counterpart} itself)")
        else:
            if source not in places:
                print(f"{module.name}.{name} <- {source}")
            result.imports[source].append((name, name))
    return result


# -- writing ---------------------------------------------------------------------------


def _import_line(source: str, pairs: list[tuple[str, str]]) -> str:
    parts = [n if n == alias else f"{n} as {alias}" for n, alias in sorted(pairs, key=lambda p: p[1])]
    line = f"from {source} import {', '.join(parts)}"
    if len(line) <= LINE_LIMIT:
        return line
    body = "".join(f"    {part},\n" for part in parts)
    return f"from {source} import (\n{body})"


def lazy_names(index: AscrapyIndex, resolution: Resolution) -> set[tuple[str, str]]:
    """The (source, name) pairs an ascrapy module loads on first use (it lists them in
    ``_LAZY_SUBMODULES``): importing them here would load them for everyone. They are
    reached through that module's own ``__getattr__``, re-exported; so only one source
    module's names can be lazy, and only under their own names."""
    lazy = set()
    for source, pairs in resolution.imports.items():
        module = index.module(source)
        table = getattr(module, "_LAZY_SUBMODULES", None) or {}
        lazy.update((source, name) for name, alias in pairs if name in table and name == alias)
    if len({source for source, _ in lazy}) > 1:
        return set()
    return lazy


def reexport_source(resolution: Resolution, preamble: str = "", lazy: set[tuple[str, str]] = frozenset()) -> str:
    module = resolution.module
    origin = resolution.counterpart if resolution.counterpart in resolution.imports else "ascrapy"
    lines = [f'"""{module.name}: Scrapy\'s names, from {origin}."""', preamble]
    for source, pairs in sorted(resolution.imports.items()):
        eager = [(name, alias) for name, alias in pairs if (source, name) not in lazy]
        if any(source == lazy_source for lazy_source, _ in lazy):
            eager.append(("__getattr__", "__getattr__"))  # it loads the lazy names on first use
        if eager:
            lines.append(_import_line(source, eager))
    if module.has_all:
        exported = {alias for pairs in resolution.imports.values() for _, alias in pairs}
        kept = [name for name in module.names if name in exported]
        lines += ["", "__all__ = [", *[f'    "{name}",' for name in kept], "]"]
    if module.name in ENTRY_POINT_MODULES:
        lines += ["", 'if __name__ == "__main__":', "    execute()"]
    return "\n".join(lines).rstrip() + "\n"


def module_path(package: Path, dotted: str, is_package: bool) -> Path:
    parts = dotted.split(".")[1:]
    if is_package:
        return package.joinpath(*parts, "__init__.py")
    return package.joinpath(*parts[:-1], parts[-1] + ".py") if parts else package / "__init__.py"


def write_missing(missing_file: Path, resolutions: list[Resolution], unwritten: list[str], version: str) -> int:
    total = sum(len(r.missing) for r in resolutions)
    lines = [
        f"# Scrapy {version} names that ascrapy does not define yet",
        "",
        "Written by `compat/generate.py`; do not edit by hand. Each section is a Scrapy module",
        "and, in brackets, the ascrapy module its names are looked for in first.",
        "",
        f"{total} names in {sum(1 for r in resolutions if r.missing)} modules.",
    ]
    for resolution in sorted(resolutions, key=lambda r: r.module.name):
        if not resolution.missing:
            continue
        written = "" if resolution.imports or resolution.module.name in IDENTITY_MODULES else ", no module written"
        lines += ["", f"## {resolution.module.name} ({resolution.counterpart}{written})", ""]
        for entry in resolution.missing:  # "name" or "name (why)"
            name, _, why = entry.partition(" ")
            lines.append(f"- `{name}` {why}".rstrip())
    if unwritten:
        lines += ["", "## Private Scrapy modules with no ascrapy counterpart (not written)", ""]
        lines += [f"- {name}" for name in unwritten]
    lines += ["", f"## Scrapy's own tests left out ({left_out_count()} tests)", ""]
    lines += [f"- `{test}`: {reason}" for test, reason in sorted(LEFT_OUT_TESTS.items())]
    lines += ["", f"## Scrapy plugins' own tests left out ({len(PLUGIN_TESTS_LEFT_OUT)})", ""]
    lines += [f"- `{test}`: {reason}" for test, reason in sorted(PLUGIN_TESTS_LEFT_OUT.items())] or [
        "None: every test of the four plugins' suites that passes on Scrapy 2.19.0 passes on ascrapy",
        "(`python -m bench.plugin_suites`, bench/results/plugin_suites.json).",
    ]
    lines += ["", "## Twisted-only modules left out on purpose", ""]
    lines += [f"- {name}: {reason}" for name, reason in sorted(SKIPPED_MODULES.items())]
    missing_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return total


def resolve_all(
    modules: dict[str, ScrapyModule],
    tests_imports: dict[str, list[str]],
    index: AscrapyIndex,
    scrapy_homes: dict[str, int],
) -> tuple[dict[str, Resolution], list[str]]:
    """Every Scrapy module's resolution, and the private ones with no counterpart (unwritten)."""
    resolutions: dict[str, Resolution] = {}
    unwritten: list[str] = []
    for dotted, module in sorted(modules.items()):
        private = any(part.startswith("_") and part != "__main__" for part in dotted.split("."))
        explicit = any(key[0] == dotted for key in RENAMES)
        if private and not explicit and index.module(counterpart_of(dotted)) is None:
            unwritten.append(dotted)
            continue
        from_tests = [n for n in tests_imports.get(dotted, []) if f"{dotted}.{n}" not in modules]
        forced = dotted in IDENTITY_MODULES
        resolutions[dotted] = resolve(module, from_tests, index, scrapy_homes, identity=forced)
    return resolutions, unwritten


def write_modules(
    resolutions: dict[str, Resolution], top_level_sources: dict[str, str], index: AscrapyIndex, output_package: Path
) -> dict[Path, str]:
    """The text of every compat module: identity modules first decided, then each written."""
    identities = {
        dotted
        for dotted, resolution in resolutions.items()
        if is_identity(resolution, index, forced=dotted in IDENTITY_MODULES, runs_as_main=dotted in ENTRY_POINT_MODULES)
    }
    # before the top-level module's names are regrouped under compat's own submodules
    added = {dotted: scrapy_names(resolutions[dotted], resolutions, identities, index) for dotted in identities}  # type: ignore[arg-type]
    files: dict[Path, str] = {}
    bare_packages: dict[Path, str] = {}  # written only if a module below them is
    for dotted, resolution in sorted(resolutions.items()):
        module = resolution.module
        path = module_path(output_package, dotted, module.is_package)
        if dotted in identities:
            files[path] = identity_source(resolution, added[dotted], IDENTITY_MODULES.get(dotted))
        elif dotted == "scrapy":
            import_from_own_submodules(resolution, top_level_sources)
            text = reexport_source(resolution, TOP_LEVEL_PREAMBLE, lazy_names(index, resolution))
            files[path] = with_top_level_submodules(text)
        elif resolution.imports:
            files[path] = reexport_source(resolution, lazy=lazy_names(index, resolution))
        elif module.is_package:
            bare_packages[path] = reexport_source(resolution)
    for path in list(files):  # every folder holding a written module needs its __init__
        for parent in path.relative_to(output_package).parents:
            init = output_package / parent / "__init__.py"
            dotted = ".".join(["scrapy", *parent.parts])
            default = f'"""{dotted}: a package of Scrapy\'s module paths."""\n'
            files.setdefault(init, bare_packages.get(init, default))
    return files


def generate(source: ScrapySource, output_dir: Path) -> None:
    """Write ``output_dir``/scrapy/** and ``output_dir``/MISSING.md."""
    # Inspect ascrapy on its own: a compat tree from an earlier run must not be imported
    # (itemadapter imports `scrapy` when it can).
    sys.modules["scrapy"] = None  # type: ignore[assignment]
    output_package = output_dir / "scrapy"
    index = AscrapyIndex(ASCRAPY_DIR)
    modules = {dotted: module for dotted, module in source.modules.items() if not is_skipped(dotted)}
    for dotted, names in LEGACY_NAMES.items():
        modules.setdefault(dotted, ScrapyModule(dotted, False, [], has_all=False)).names.extend(names)
    for dotted in ENTRY_POINT_MODULES:
        modules[dotted].names.append("execute")

    scrapy_homes: dict[str, int] = defaultdict(int)
    for module in modules.values():
        for name in module.defines:
            scrapy_homes[name] += 1

    resolutions, unwritten = resolve_all(modules, source.tests_import, index, scrapy_homes)
    files = write_modules(resolutions, source.top_level_sources, index, output_package)
    files[output_package / "py.typed"] = ""  # PEP 561: the re-exported names carry ascrapy's type hints

    if output_package.exists():
        shutil.rmtree(output_package)
    for path, text in sorted(files.items()):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for kind in ("project", "spiders"):  # Scrapy's package holds its templates; projects copy them
        shutil.copytree(ASCRAPY_DIR / "templates" / kind, output_package / "templates" / kind,
                        ignore=shutil.ignore_patterns("__pycache__"))
    write_version_file(output_package, source.version)
    total = write_missing(output_dir / "MISSING.md", list(resolutions.values()), unwritten, source.version)
    modules = sum(1 for path in files if path.suffix == ".py")
    print(f"wrote {modules} modules under {output_package}; {total} names missing (see MISSING.md)")
    for name, error in sorted(index.import_errors.items()):
        print(f"warning: could not import {name}: {error}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scrapy_source", type=Path,
                        help=f"an unpacked Scrapy sdist (holds scrapy/ and tests/), or {NAMES_FILE.name}")
    parser.add_argument("--output", type=Path, default=COMPAT_DIR,
                        help="where scrapy/ and MISSING.md are written (default: compat/)")
    arguments = parser.parse_args()
    if arguments.scrapy_source.is_dir():
        source = ScrapySource.from_sdist(arguments.scrapy_source)
        source.to_json(NAMES_FILE)
    else:
        source = ScrapySource.from_json(arguments.scrapy_source)
    arguments.output.mkdir(parents=True, exist_ok=True)
    generate(source, arguments.output)


if __name__ == "__main__":
    main()
