"""Fixtures over the test world (``tests/world/``): a minimal valid dataset in tmp_path."""

from __future__ import annotations

import pytest

from world import Dataset, write_world


@pytest.fixture
def make_dataset(tmp_path):
    """``make_dataset(actors=..., controls=..., statements=...)`` writes the minimal valid dataset
    with any file's text replaced; ``None`` for a text leaves that file out. Calling it again
    rewrites the same dataset (or writes another one under ``root``)."""

    def make(root=None, **texts) -> Dataset:
        return write_world(root or tmp_path, **texts)

    return make


@pytest.fixture
def dataset(make_dataset) -> Dataset:
    return make_dataset()


# --- the slow marker ------------------------------------------------------------------------------


def pytest_addoption(parser):
    parser.addoption(
        "--run-slow",
        action="store_true",
        default=False,
        help="run the tests marked slow (the long fuzz run)",
    )


def pytest_collection_modifyitems(config, items):
    """Tests marked ``slow`` are skipped (shown as skipped, never as passed) unless ``--run-slow``
    is given or ``-m`` selects them."""
    if config.getoption("--run-slow") or "slow" in (config.getoption("-m") or "").replace(
        "not slow", ""
    ):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow (or -m slow)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
