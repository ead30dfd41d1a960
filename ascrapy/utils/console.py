"""An interactive Python console bound to a namespace (``scrapy shell``, inspect_response).

The first importable shell of ptpython, IPython, bpython and the standard library's
``code`` module is used, unless the caller names the shells it prefers.
"""

from __future__ import annotations

import asyncio
import code
import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeAlias

__all__ = ["DEFAULT_PYTHON_SHELLS", "EmbedFuncT", "KnownShellsT", "get_shell_embed_func", "start_python_console"]

# embed(namespace=..., banner=...) runs a console until the user leaves it.
EmbedFuncT: TypeAlias = Callable[..., None]
# Shell name -> a factory that imports the shell (ImportError when absent) and returns its embed function.
KnownShellsT: TypeAlias = dict[str, Callable[..., EmbedFuncT]]


def _loop_is_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _embed_ipython_shell(namespace: dict[str, Any] | None = None, banner: str = "") -> EmbedFuncT:
    """IPython's embeddable terminal shell."""
    from IPython.terminal.embed import InteractiveShellEmbed  # noqa: PLC0415
    from IPython.terminal.ipapp import load_default_config  # noqa: PLC0415

    @functools.wraps(_embed_ipython_shell)
    def embed(namespace: dict[str, Any] = namespace or {}, banner: str = "") -> None:
        # A fresh instance each time: repeated inspect_response() calls get the new
        # namespace, and tab completion sees imports made in the shell.
        InteractiveShellEmbed.clear_instance()
        shell = InteractiveShellEmbed.instance(banner1=banner, user_ns=namespace, config=load_default_config())
        prompt_app = getattr(shell, "pt_app", None)
        if prompt_app is not None and _loop_is_running():
            # Called from a callback of the crawl's loop: prompt_toolkit cannot start a loop
            # of its own in this thread, so it reads the prompt from another one.
            prompt_app.prompt = functools.partial(prompt_app.prompt, in_thread=True)
        shell()

    return embed


def _embed_bpython_shell(namespace: dict[str, Any] | None = None, banner: str = "") -> EmbedFuncT:
    """bpython's shell."""
    import bpython  # noqa: PLC0415

    @functools.wraps(_embed_bpython_shell)
    def embed(namespace: dict[str, Any] = namespace or {}, banner: str = "") -> None:
        bpython.embed(locals_=namespace, banner=banner)

    return embed


def _embed_ptpython_shell(namespace: dict[str, Any] | None = None, banner: str = "") -> EmbedFuncT:
    """ptpython's shell (it has no banner option: the banner is printed first)."""
    import ptpython.repl  # noqa: PLC0415

    @functools.wraps(_embed_ptpython_shell)
    def embed(namespace: dict[str, Any] = namespace or {}, banner: str = "") -> None:
        print(banner)
        ptpython.repl.embed(locals=namespace)

    return embed


def _embed_standard_shell(namespace: dict[str, Any] | None = None, banner: str = "") -> EmbedFuncT:
    """The standard library's console, with readline tab completion where readline exists."""
    try:
        import readline  # noqa: PLC0415 - absent on Windows
    except ImportError:
        pass
    else:
        import rlcompleter  # noqa: F401, PLC0415 - importing it installs the completer

        readline.parse_and_bind("tab:complete")

    @functools.wraps(_embed_standard_shell)
    def embed(namespace: dict[str, Any] = namespace or {}, banner: str = "") -> None:
        code.interact(banner=banner, local=namespace)

    return embed


DEFAULT_PYTHON_SHELLS: KnownShellsT = {
    "ptpython": _embed_ptpython_shell,
    "ipython": _embed_ipython_shell,
    "bpython": _embed_bpython_shell,
    "python": _embed_standard_shell,
}


def get_shell_embed_func(
    shells: Iterable[str] | None = None, known_shells: KnownShellsT | None = None
) -> EmbedFuncT | None:
    """The embed function of the first of ``shells`` (in order) that is known and importable."""
    if shells is None:
        shells = DEFAULT_PYTHON_SHELLS.keys()
    if known_shells is None:
        known_shells = dict(DEFAULT_PYTHON_SHELLS)
    for name in shells:
        factory = known_shells.get(name)
        if factory is None:
            continue
        try:
            return factory()  # imports the shell without starting it
        except ImportError:
            continue
    return None


def start_python_console(
    namespace: dict[str, Any] | None = None, banner: str = "", shells: Iterable[str] | None = None
) -> None:
    """Run an interactive console on ``namespace`` until the user leaves it (exit() included)."""
    if namespace is None:
        namespace = {}
    try:
        embed = get_shell_embed_func(shells)
        if embed is not None:
            embed(namespace=namespace, banner=banner)
    except SystemExit:  # exit() in the standard console
        pass
