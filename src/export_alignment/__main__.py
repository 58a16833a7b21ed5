"""``python -m export_alignment`` and the ``export-alignment`` console script."""

import gc
import os
import sys
import types
from typing import Any

_PLUGIN_LOADER = "pydantic.plugin._loader"


def _no_pydantic_plugins() -> None:
    """Pydantic looks up observability plugins through package metadata when the first model is
    built; the command uses none, so they are turned off. Its plugin loader still imports
    ``importlib.metadata`` (about 10 ms) only to learn that: while plugins are off, the loader
    is a stand-in that finds none, and that imports the real one should anything else be asked
    of it."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] not in ("__all__", "1", "true"):
        return
    if _PLUGIN_LOADER in sys.modules:
        return
    stand_in = types.ModuleType(_PLUGIN_LOADER)

    def get_plugins() -> tuple[()]:
        return ()

    def real(name: str) -> Any:
        if name.startswith("__"):  # the import system asking what kind of module this is
            raise AttributeError(name)
        sys.modules.pop(_PLUGIN_LOADER, None)
        import importlib

        return getattr(importlib.import_module(_PLUGIN_LOADER), name)

    stand_in.get_plugins = get_plugins  # type: ignore[attr-defined]
    stand_in.__getattr__ = real  # type: ignore[method-assign]
    sys.modules[_PLUGIN_LOADER] = stand_in


def main() -> None:
    # Start-up makes many objects and frees few: the collector is off while the libraries and
    # the command are imported, and what they built is then set aside (``gc.freeze``) so that
    # no later collection walks it again (about 10 ms for ``status``).
    gc.disable()
    from export_alignment import answer_cache

    argv = sys.argv[1:]
    code = answer_cache.replay(argv)
    if code is not None:
        sys.exit(code)  # the same question of the same record: its kept answer
    recorder = answer_cache.Recorder(argv) if answer_cache.enabled(argv) else None
    _no_pydantic_plugins()
    from export_alignment.cli.app import main as cli_main

    gc.freeze()
    gc.enable()
    if recorder is not None:
        recorder.start()
    try:
        cli_main()
    except SystemExit as exc:
        if recorder is not None:
            recorder.finish(answer_cache.exit_code(exc))
        raise
    else:
        if recorder is not None:
            recorder.finish(0)
    finally:
        # The process ends with the command: what is still alive (a whole validated record, say)
        # is freed with it, and the collector need not walk its objects once more on the way
        # out (about 40 ms after validating 10,000 statements).
        gc.freeze()


if __name__ == "__main__":
    main()
