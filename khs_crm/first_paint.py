"""A Reflex build plugin: the sign-in page is painted as soon as its HTML has arrived, and
starts the app's scripts after that first paint.

The sign-in page is a plain HTML form (it posts to ``/api/auth/session/form``): it works
before React has hydrated it, so nothing on it has to wait for Reflex's runtime. Yet as
built, its ``<head>`` links the app's stylesheet (``/assets/__reflex_global_styles-*.css``,
≈ 9 KB gzip), which blocks rendering until a second request has come back over the phone's
network, and preloads the runtime (≈ 155 KB gzip), which arrives and runs first.

After the production build (Reflex's ``post_build`` hook, before it compresses the output)
this plugin rewrites that page:

- the stylesheet's text is copied in as a ``<style>`` element just before its link, and the
  two links React rendered (the preload and the stylesheet) are made inert: ``disabled`` and
  ``media="not all"``, so the browser neither waits for nor fetches the file. The links stay
  because React hydrates the ``<head>`` it rendered and matches them by ``rel`` and ``href``;
  an attribute it did not render is left alone. The policy allows inline styles (emotion
  inserts them at run time, see ``api/security_headers.py``);
- the ``modulepreload`` links are dropped and the inline module that imports the route
  modules and the client entry waits for the first frame (at most 0.5 s, for a tab opened in
  the background) before importing them. React 19 does not match those links by position:
  it adds the ones it misses after hydrating, when the files are loaded already.

The other pages are left as built: the field and office pages show their content only once
hydrated, and there the CSS carried in the HTML made the measured LCP of ``/field`` later
(3.11 → 3.35 s, Lighthouse mobile: a larger document before the preloads start), not sooner.
Measured in BENCHMARKS.md ("Cold start"). ``tests/unit/test_first_paint.py`` and
``tests/e2e/test_app_loads.py`` fail if a Reflex or React Router upgrade changes the markup
these rewrites expect.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from reflex_base.plugins.base import Plugin

_STYLESHEET = re.compile(
    r'<link href="(?P<href>/assets/[^"]+\.css)" rel="stylesheet"(?P<rest>[^>]*)/>'
)
_PRELOAD = '<link as="style" href="{href}" rel="preload"/>'
# A relative url() would resolve against the page instead of the stylesheet: such a
# stylesheet stays linked.
_RELATIVE_URL = re.compile(r"""url\(\s*['"]?(?!data:|/|https?:)""")


def inline_stylesheets(html: str, read: Any) -> str:
    """The page with each built stylesheet it links copied in as a <style> (see the module).

    ``read(href)`` gives a stylesheet's text. A page that links none is returned unchanged.
    """
    inlined: list[str] = []

    def inline(match: re.Match[str]) -> str:
        css = read(match["href"])
        if _RELATIVE_URL.search(css):
            return match[0]
        inlined.append(match["href"])
        css = css.replace("</style", "<\\/style")
        link = f'<link href="{match["href"]}" rel="stylesheet"{match["rest"]} disabled=""/>'
        return f'<style data-href="{match["href"]}">{css}</style>{link}'

    page = _STYLESHEET.sub(inline, html)
    for href in inlined:
        inert = f'<link as="style" href="{href}" rel="preload" media="not all"/>'
        page = page.replace(_PRELOAD.format(href=href), inert)
    return page


_MODULE_SCRIPT = re.compile(r'<script type="module" async="">(?P<body>.*?)</script>', re.S)
_STATIC_IMPORT = re.compile(r'import (?:\* as (?P<name>\w+) from )?"(?P<url>[^"]+)";\n?')
_MODULE_PRELOAD = re.compile(r'<link rel="modulepreload" href="[^"]+"/>')
# The first frame has been painted when a task queued from its animation frame runs.
_AFTER_FIRST_PAINT = (
    "await new Promise((go) => {"
    " requestAnimationFrame(() => setTimeout(go, 0)); setTimeout(go, 500); });\n"
)
# The pages whose prerendered HTML works without the runtime (see the module).
PLAIN_HTML_PAGES = ("login.html", "login/index.html")


def scripts_after_first_paint(html: str) -> str:
    """The page with its module preloads dropped and its route modules imported once the
    first frame is painted (see the module). Unchanged when it has no such module script."""
    match = _MODULE_SCRIPT.search(html)
    imports = list(_STATIC_IMPORT.finditer(match["body"])) if match else []
    if not match or not imports:
        return html
    names = [m["name"] or f"_module{i}" for i, m in enumerate(imports)]
    loads = ", ".join(f'import("{m["url"]}")' for m in imports)
    body = (
        _AFTER_FIRST_PAINT
        + f"const [{', '.join(names)}] = await Promise.all([{loads}]);\n"
        + _STATIC_IMPORT.sub("", match["body"])
    )
    page = html[: match.start("body")] + body + html[match.end("body") :]
    return _MODULE_PRELOAD.sub("", page)


class SignInFirstPaint(Plugin):
    """Rewrites the built sign-in page (``PLAIN_HTML_PAGES``) as the module says."""

    def post_build(self, **context: Any) -> None:
        static_dir = Path(context["static_dir"])

        def read(href: str) -> str:
            return (static_dir / href.lstrip("/")).read_text(encoding="utf-8")

        for name in PLAIN_HTML_PAGES:
            page = static_dir / name
            if not page.exists():
                continue
            html = page.read_text(encoding="utf-8")
            changed = scripts_after_first_paint(inline_stylesheets(html, read))
            if changed != html:
                page.write_text(changed, encoding="utf-8")
