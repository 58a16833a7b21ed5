"""``python -m export_alignment`` and the ``export-alignment`` console script."""

import gc
import os


def main() -> None:
    import sys

    from export_alignment import answer_cache

    argv = sys.argv[1:]
    code = answer_cache.replay(argv)
    if code is not None:
        sys.exit(code)  # the same question of the same record: its kept answer
    recorder = answer_cache.Recorder(argv) if answer_cache.enabled(argv) else None
    # Pydantic looks up observability plugins through package metadata when the first model is
    # built; the command uses none, and the look-up is a noticeable part of its start-up.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from export_alignment.cli.app import main as cli_main

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
