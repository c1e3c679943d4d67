"""How pytest-xdist shares the tests out between its processes.

A test module with a module-scoped fixture (its own Redis, S3 server, nginx or app stack) goes
to one process whole, so that what it starts is started once in a run; every other test goes
to whichever process is free, as with xdist's default (``--dist load``). The modules whose
tests share something go out first (xdist sends its largest groups first).

(xdist's ``--dist loadgroup`` would do this for marked tests, but it names its groups by
renaming the tests, which pytest 9 no longer lets a plugin do: the marks are ignored.)
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from xdist.scheduler import LoadScopeScheduling

MODULE_WIDE = 'scope="module"'


@functools.cache
def _shares_a_fixture(path: Path) -> bool:
    return path.is_file() and MODULE_WIDE in path.read_text(encoding="utf-8")


class ModuleWideScheduling(LoadScopeScheduling):
    """A module with a module-scoped fixture is one unit of work; any other test is its own."""

    def _split_scope(self, nodeid: str) -> str:
        module = nodeid.split("::", 1)[0]
        return module if _shares_a_fixture(self.config.rootpath / module) else nodeid


def make_scheduler(config: pytest.Config, log) -> ModuleWideScheduling | None:
    """The ``pytest_xdist_make_scheduler`` hook: this scheduler for the default distribution."""
    if config.getvalue("dist") != "load":
        return None
    return ModuleWideScheduling(config, log)
