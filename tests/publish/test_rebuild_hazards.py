"""A generated corpus of what an output folder may hold when the site is rebuilt into it: every
file and folder name a build writes replaced by a symlink out of the folder, a FIFO, a folder or
a file; manifests that name files outside it, are links, folders or FIFOs; halves of sites.

The property, for every case: exit 0 (a site it built, or part of one) or 2 (a folder it did
not build, or whose manifest is not a plain file), never a traceback or a hang; nothing outside
the output folder changes (every file of a sentinel tree beside it keeps its bytes, every link
its target); after exit 0 every file the manifest lists is a regular file inside the folder and
the feed is well-formed XML."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest

import world
from export_alignment.site import MANIFEST

AS_OF = "2024-01-01"
FILES = ["index.html", "sources.html", "style.css", "feed.xml", "allies/jp.html"]
FOLDERS = ["allies", "controls", "downloads"]


def replace_with(kind: str) -> Callable[[Path, Path], None]:
    """A hazard that puts a ``kind`` where ``path`` was (``outside`` is the sentinel tree)."""

    def plant(path: Path, outside: Path) -> None:
        if path.is_dir() and not path.is_symlink():
            for p in sorted(path.rglob("*"), reverse=True):
                p.rmdir() if p.is_dir() else p.unlink()
            path.rmdir()
        elif os.path.lexists(path):
            path.unlink()
        if kind == "link-to-file":
            path.symlink_to(outside / "secret.txt")
        elif kind == "link-to-folder":
            path.symlink_to(outside / "folder")
        elif kind == "dangling-link":
            path.symlink_to(outside / "nothing-here")
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "folder":
            path.mkdir()
            (path / "inside.txt").write_text("x", encoding="utf-8")
        else:
            path.write_text("plain", encoding="utf-8")

    return plant


def manifest_naming(*names: str) -> Callable[[Path, Path], None]:
    def plant(manifest: Path, outside: Path) -> None:
        lines = [n.format(outside=outside) for n in names]
        with manifest.open("a", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")

    return plant


CASES: dict[str, tuple[str, Callable[[Path, Path], None], int]] = {}
for name in FILES:
    for kind in ("link-to-file", "dangling-link", "fifo", "folder"):
        CASES[f"{name}-{kind}"] = (name, replace_with(kind), 0)
for name in FOLDERS:
    for kind in ("link-to-folder", "link-to-file", "file", "fifo"):
        CASES[f"{name}/-{kind}"] = (name, replace_with(kind), 0)
for label, names in {
    "absolute": ["{outside}/secret.txt", "{outside}/folder/deep.txt"],
    "dotdot": ["../outside/secret.txt", "allies/../../outside/secret.txt"],
    "dot-and-empty": ["./index.html", "allies//jp.html", "", "."],
    "control-characters": ["allies/\x1b[2J.html", "index.html\r"],
    "huge": [f"allies/p{i}.html" for i in range(20_000)],
}.items():
    CASES[f"manifest-{label}"] = (MANIFEST, manifest_naming(*names), 0)
for kind in ("link-to-file", "dangling-link", "folder", "fifo"):  # no manifest to trust: refused
    CASES[f"manifest-is-{kind}"] = (MANIFEST, replace_with(kind), 2)
CASES["manifest-gone-half-site"] = (MANIFEST, lambda p, o: p.unlink(), 0)
CASES["manifest-gone-and-a-link"] = (
    MANIFEST,
    lambda p, o: (p.unlink(), (p.parent / "extra").symlink_to(o / "secret.txt")),
    2,
)
CASES["manifest-gone-and-a-fifo"] = (MANIFEST, lambda p, o: (p.unlink(), os.mkfifo(p)), 2)


def sentinel(root: Path) -> Path:
    outside = root / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.txt").write_text("secret\n", encoding="utf-8")
    (outside / "folder" / "deep.txt").write_text("deep\n", encoding="utf-8")
    (outside / "folder" / "old.html").write_text("old\n", encoding="utf-8")
    return outside


def state(folder: Path) -> dict[str, object]:
    out: dict[str, object] = {}
    for p in sorted(folder.rglob("*")):
        key = p.relative_to(folder).as_posix()
        out[key] = os.readlink(p) if p.is_symlink() else p.read_bytes() if p.is_file() else "dir"
    return out


@pytest.fixture(scope="module")
def record(tmp_path_factory) -> Path:
    return world.write_world(tmp_path_factory.mktemp("record")).data


@pytest.mark.parametrize("case", list(CASES))
def test_a_rebuild_over_a_hazard(record, tmp_path, case):
    name, plant, code = CASES[case]
    outside = sentinel(tmp_path)
    before = state(outside)
    out = tmp_path / "site"
    world.run("site", "--data", record, "-o", out, "--as-of", AS_OF, code=0)
    plant(out / name, outside)
    r = world.run("site", "--data", record, "-o", out, "--as-of", AS_OF)
    assert r.exit_code == code, r.output
    assert state(outside) == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")]
    if code == 0:
        listed = (out / MANIFEST).read_text(encoding="utf-8").splitlines()
        assert "index.html" in listed and "feed.xml" in listed
        for entry in listed:
            path = out / entry
            assert path.is_file() and not path.is_symlink(), entry
            assert Path(os.path.realpath(path)).is_relative_to(os.path.realpath(out))
        ElementTree.fromstring((out / "feed.xml").read_bytes())


def test_the_output_folder_itself_may_be_a_link_to_a_site(record, tmp_path):
    real = tmp_path / "real-site"
    world.run("site", "--data", record, "-o", real, "--as-of", AS_OF, code=0)
    link = tmp_path / "site"
    link.symlink_to(real)
    world.run("site", "--data", record, "-o", link, "--as-of", AS_OF, code=0)
    assert link.is_symlink() and (real / "index.html").is_file()


def test_the_corpus_covers_every_name_and_kind():
    assert len(CASES) >= 44
    assert {c[0] for c in CASES.values()} >= {*FILES, *FOLDERS, MANIFEST}
