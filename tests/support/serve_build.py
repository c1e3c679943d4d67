"""Serve the production build already in ``.web`` with the app's backend, as
``reflex run --env prod`` does once it has built, but without compiling or building again.

Started by tests/support/prod_build.py for the second and later browser-test processes of a
parallel run: each serves the same build from its own loopback address, with its own data.

    python -m tests.support.serve_build HOST PORT
"""

from __future__ import annotations

import sys

from reflex_base import constants
from reflex_base.environment import environment


def main(host: str, port: int) -> None:
    from reflex.utils import exec as reflex_exec

    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    environment.REFLEX_SKIP_COMPILE.set(True)  # the build in .web is the one served
    reflex_exec.run_backend_prod(host, port, mount_frontend_compiled_app=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
