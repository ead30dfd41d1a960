"""Module identity for generate.py: which compat modules are their ascrapy module itself.

Where one Scrapy module corresponds to one ascrapy module (every name it offers comes from
its counterpart), compat's file makes ``scrapy.x.y`` *be* the ascrapy module
(``ascrapy.utils.module_alias.alias_module``), so a patch of ``scrapy.x.y.name`` reaches the
code that runs. The names Scrapy's module has by importing them from other Scrapy modules
(``scrapy.spiders.Request``) are added where ascrapy's module lacks them. A module whose names
come from several ascrapy modules stays a module of re-exports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from scan import AscrapyIndex, ScrapyModule


class ResolvedModule(Protocol):
    """What generate.py decided for a module (its Resolution)."""

    module: ScrapyModule
    counterpart: str
    imports: dict[str, list[tuple[str, str]]]


@dataclass(frozen=True)
class ScrapyName:
    """A name Scrapy's module has by importing it, found in ascrapy: ``from source import
    name`` bound as ``bound``; or, when ``name`` is empty, the module ``source`` itself."""

    bound: str
    source: str
    name: str = ""


def is_identity(resolution: ResolvedModule, index: AscrapyIndex, *, forced: bool, runs_as_main: bool) -> bool:
    """Whether the module can be its counterpart itself: the counterpart exists (a package
    for a package, since submodules are found below it), and every name comes from it.

    A package with no names of its own (``scrapy.utils``) stays compat's: aliasing it would
    gain nothing. A module run as ``__main__`` keeps its own file."""
    module = resolution.module
    if module.name == "scrapy" or runs_as_main:
        return False
    target = index.module(resolution.counterpart)
    if target is None or (module.is_package and not hasattr(target, "__path__")):
        return False
    if forced:
        return True
    return bool(resolution.imports) and set(resolution.imports) == {resolution.counterpart}


def scrapy_names(
    resolution: ResolvedModule,
    resolutions: dict[str, ResolvedModule],
    identities: set[str],
    index: AscrapyIndex,
) -> list[ScrapyName]:
    """The names Scrapy's module imports from other Scrapy modules that its counterpart lacks,
    each where ascrapy has it: a name another compat module re-exports, or a module that is
    an ascrapy module itself. Names ascrapy lacks are listed as missing where they belong."""
    offered = {alias for pairs in resolution.imports.values() for _, alias in pairs}
    found = []
    for bound, (source, name) in sorted(resolution.module.imported.items()):
        if bound in offered or index.exposes(resolution.counterpart, bound):
            continue
        submodule = f"{source}.{name}"
        if submodule in resolutions:
            if submodule in identities:
                found.append(ScrapyName(bound, resolutions[submodule].counterpart))
            continue
        home = resolutions.get(source)
        origin = next(
            ((src, n) for src, pairs in (home.imports.items() if home else []) for n, alias in pairs if alias == name),
            None,
        )
        if origin is not None:
            found.append(ScrapyName(bound, *origin))
    return found


def identity_source(resolution: ResolvedModule, names: list[ScrapyName], reason: str | None) -> str:
    """The compat file of an identity module."""
    dotted, counterpart = resolution.module.name, resolution.counterpart
    why = f": {reason}" if reason else ""
    lines = [f'"""{dotted} is {counterpart} itself{why}."""', ""]
    modules = sorted({counterpart, *(n.source for n in names if not n.name)})
    lines += [f"import {module}" for module in modules]
    lines.append("from ascrapy.utils.module_alias import alias_module")
    by_source: dict[str, list[str]] = {}
    for n in names:
        if n.name:
            by_source.setdefault(n.source, []).append(n.name if n.bound == n.name else f"{n.name} as {n.bound}")
    for source, parts in sorted(by_source.items()):
        line = f"from {source} import {', '.join(sorted(parts))}"
        if len(line) > 100:
            line = f"from {source} import (\n" + "".join(f"    {part},\n" for part in sorted(parts)) + ")"
        lines.append(line)
    arguments = ["__name__", counterpart]
    arguments += [f"{n.bound}={n.name and n.bound or n.source}" for n in names]
    # A name Scrapy's module offers under another name than ascrapy's (a private alias its
    # tests import, say) is added under Scrapy's name too.
    arguments += [f"{alias}={counterpart}.{name}" for name, alias in sorted(resolution.imports.get(counterpart, []))
                  if alias != name]
    call = f"alias_module({', '.join(arguments)})"
    if len(call) > 100:
        call = "alias_module(\n" + "".join(f"    {argument},\n" for argument in arguments) + ")"
    lines += ["", call]
    return "\n".join(lines) + "\n"
