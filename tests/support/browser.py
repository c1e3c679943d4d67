"""How the tests start Debian's Chromium (Playwright cannot download browsers here).

They drive ``chromium-headless-shell``: Debian's build of the same Chromium (Blink, V8,
service workers, IndexedDB), without the desktop browser's window layer, and the build
Playwright itself runs for headless tests. Over the 107 browser tests it used a third less
CPU than ``/usr/bin/chromium --headless`` (BENCHMARKS.md, "The headless shell").
``KHS_TEST_CHROMIUM`` names another binary, e.g. ``/usr/bin/chromium`` to compare.
"""

import os

CHROMIUM = os.environ.get("KHS_TEST_CHROMIUM", "/usr/bin/chromium-headless-shell")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
