"""Regenerate the README's screenshots of the site: the index and Japan's page, built from the
shipped record, taken in headless Chromium (Debian's ``chromium``) through Playwright.

    python scripts/screenshots.py [--as-of 2026-12-07] [--chromium /usr/bin/chromium]

Writes the index and Japan's page at 1280 px (``docs/screenshots/index.png``,
``ally-jp.png``) and at 390 px, a phone (``index-phone.png``, ``ally-jp-phone.png``): the first
screenful of each (the part a reader sees first).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

from playwright.sync_api import sync_playwright

from export_alignment.checks import validate
from export_alignment.question import Question
from export_alignment.scoring import DEFAULT_STALE_DAYS
from export_alignment.site import build_site
from export_alignment.views.publication import publish

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as-of", default="2026-12-07")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)
    result = validate(ROOT / "data", date.fromisoformat(args.as_of))
    if not result.ok:
        print("the shipped record has errors; run export-alignment validate", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        asked = Question(as_of=date.fromisoformat(args.as_of), stale_days=DEFAULT_STALE_DAYS)
        build_site(publish(result.dataset, asked), site)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
            shots = [
                ("index.html", "index.png", 1280, 1000),
                ("allies/jp.html", "ally-jp.png", 1280, 1400),
                ("index.html", "index-phone.png", 390, 844),
                ("allies/jp.html", "ally-jp-phone.png", 390, 844),
            ]
            for page_name, file_name, width, height in shots:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto((site / page_name).as_uri())
                page.screenshot(path=str(OUT / file_name))
                page.close()
                print(f"wrote {(OUT / file_name).relative_to(ROOT)}")
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
