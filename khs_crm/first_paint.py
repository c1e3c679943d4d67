"""A Reflex build plugin: the built pages carry their stylesheet inline, so the browser paints
the prerendered page as soon as the HTML has arrived; the sign-in page starts its scripts
after that first paint.

Every page Reflex prerenders links one stylesheet (``/assets/__reflex_global_styles-*.css``,
the app's whole CSS, ≈ 9 KB gzip) from its ``<head>``, once as a preload and once as the
stylesheet. A stylesheet blocks rendering: on a phone's first visit nothing is painted,
not even the sign-in form that is already in the HTML, until that second request has come
back over the mobile network. And while the browser waits, Reflex's runtime (≈ 155 KB gzip,
preloaded from the same ``<head>``) arrives and is run first.

After the production build (Reflex's ``post_build`` hook, before it compresses the output)
this plugin copies the stylesheet's text into each page as a ``<style>`` element just before
the link, and makes the two links inert: the stylesheet link gets ``disabled`` and the
preload ``media="not all"``, so the browser neither waits for nor fetches the file. The
links stay in place because React hydrates the ``<head>`` it rendered and matches them by
``rel`` and ``href``; an inert attribute it did not render is left alone. The policy already
allows inline styles (emotion inserts them at run time, see ``api/security_headers.py``).

The sign-in page is a plain HTML form (it posts to ``/api/auth/session/form``) and works
before React has hydrated it, so nothing on it needs the runtime before the first paint. Its
scripts start after that paint: the ``modulepreload`` links React Router puts in the head are
dropped, and the inline module that imports the route modules and the client entry waits for
the first frame (at most 0.5 s, for a tab opened in the background) and then imports them.
React 19 does not match those links by position: it adds the ones it misses after hydrating,
when the files are already loaded. The field and office pages keep their preloads: they show
their content only once hydrated.

The cost: each page's HTML carries the CSS (≈ 9 KB gzip more per page, cached by the
service worker with the page), and a page the browser has cached no longer shares the file.
Measured in BENCHMARKS.md ("Cold start"). ``tests/unit/test_first_paint.py`` fails if a
Reflex or React Router upgrade changes the markup these rewrites expect.
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
# Pages whose prerendered HTML works without the runtime (see the module).
AFTER_FIRST_PAINT_PAGES = ("login.html", "login/index.html")


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


class InlineStylesheet(Plugin):
    """Runs ``inline_stylesheets`` on every page of the production build, and
    ``scripts_after_first_paint`` on the sign-in page."""

    def post_build(self, **context: Any) -> None:
        static_dir = Path(context["static_dir"])

        def read(href: str) -> str:
            return (static_dir / href.lstrip("/")).read_text(encoding="utf-8")

        for page in static_dir.rglob("*.html"):
            html = page.read_text(encoding="utf-8")
            changed = inline_stylesheets(html, read)
            if page.relative_to(static_dir).as_posix() in AFTER_FIRST_PAINT_PAGES:
                changed = scripts_after_first_paint(changed)
            if changed != html:
                page.write_text(changed, encoding="utf-8")
