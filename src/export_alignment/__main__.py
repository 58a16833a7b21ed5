"""``python -m export_alignment`` and the ``export-alignment`` console script."""

import os


def main() -> None:
    # Pydantic looks up observability plugins through package metadata when the first model is
    # built; the command uses none, and the look-up is a noticeable part of its start-up.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from export_alignment.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
