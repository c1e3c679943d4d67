"""A Reflex build plugin: the sign-in page is painted as soon as its HTML has arrived, and
the Today page as soon as the crew's jobs have; each starts Reflex's runtime after that.

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

The field pages (``/field/...``) import the runtime once the field app's entry module
(``assets/khs_page.js``) says "khs:runtime" (at most 3 s): it first tells the runtime there
is no backend to connect to on those pages, which hold no server state. The Today page
(``/field``, the crew's first screen) also paints first: on a cold start (nothing on the
phone yet) its jobs come from the first pull, and ``assets/khs_first_paint.js`` paints them
before React, from that answer (see there). Its modules are the only ones preloaded there.
Its CSS stays linked: copied into that page it made the LCP later (3.11 → 3.35 s) while the
jobs waited for React.

The office pages are left as built. Measured in BENCHMARKS.md ("Cold start").
``tests/unit/test_first_paint.py``, ``tests/e2e/test_app_loads.py`` and
``tests/e2e/test_field_first_paint.py`` fail if a Reflex or React Router upgrade changes the
markup these rewrites expect.
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
# The field pages: the runtime starts once the field app's entry says "khs:runtime"
# (assets/khs_page.js: no websocket on these pages; on Today, after a cold start's jobs are
# painted); at most 3 s, should that script never run.
FIELD_PAGES = ("field.html", "field/**/*.html")
TODAY_PAGES = ("field.html", "field/index.html")
_AFTER_FIELD_ENTRY = (
    "await new Promise((go) => { if (window.khsRuntime) go();"
    ' addEventListener("khs:runtime", go, { once: true }); setTimeout(go, 3000); });\n'
)
_OUR_MODULE_PRELOAD = re.compile(r'<link href="[^"]+" rel="modulepreload"/>')


def scripts_after_first_paint(
    html: str, wait: str = _AFTER_FIRST_PAINT, *, keep_preloads: bool = False
) -> str:
    """The page with its module preloads dropped (unless ``keep_preloads``) and its route
    modules imported once ``wait`` (JS statements) is over: by default the first frame is
    painted (see the module). Unchanged when it has no such module script."""
    match = _MODULE_SCRIPT.search(html)
    imports = list(_STATIC_IMPORT.finditer(match["body"])) if match else []
    if not match or not imports:
        return html
    names = [m["name"] or f"_module{i}" for i, m in enumerate(imports)]
    loads = ", ".join(f'import("{m["url"]}")' for m in imports)
    body = (
        wait
        + f"const [{', '.join(names)}] = await Promise.all([{loads}]);\n"
        + _STATIC_IMPORT.sub("", match["body"])
    )
    page = html[: match.start("body")] + body + html[match.end("body") :]
    return page if keep_preloads else _MODULE_PRELOAD.sub("", page)


def runtime_after_field_entry(html: str) -> str:
    """A field page (not Today) as built, but its runtime imported once the field app's
    entry says so (see the module); its preloads stay: only the start waits."""
    return scripts_after_first_paint(html, _AFTER_FIELD_ENTRY, keep_preloads=True)


def jobs_before_runtime(html: str) -> str:
    """The Today page as a cold start paints its jobs before React (see the module): only
    the modules of that paint are preloaded, and the runtime is imported once it is done.
    Unchanged when the page lacks the entry module or the runtime's module script."""
    # Imported here: rxconfig.py imports this module, and the app's modules read settings.
    from khs_crm.offline.pwa import APP_MODULE, FIRST_PAINT_MODULES

    entry = f'<script src="{APP_MODULE}" type="module"></script>'
    if entry not in html or not _MODULE_SCRIPT.search(html):
        return html
    page = scripts_after_first_paint(_OUR_MODULE_PRELOAD.sub("", html), _AFTER_FIELD_ENTRY)
    preloads = "".join(f'<link rel="modulepreload" href="{m}"/>' for m in FIRST_PAINT_MODULES)
    return page.replace(entry, preloads + entry, 1)


class FirstPaint(Plugin):
    """Rewrites the built sign-in page (``PLAIN_HTML_PAGES``) and the Today page
    (``TODAY_PAGES``) as the module says."""

    def post_build(self, **context: Any) -> None:
        static_dir = Path(context["static_dir"])

        def read(href: str) -> str:
            return (static_dir / href.lstrip("/")).read_text(encoding="utf-8")

        def sign_in(html: str) -> str:
            return scripts_after_first_paint(inline_stylesheets(html, read))

        rewrites = [(static_dir / name, sign_in) for name in PLAIN_HTML_PAGES]
        today = [static_dir / name for name in TODAY_PAGES]
        for pattern in FIELD_PAGES:
            for page in sorted(static_dir.glob(pattern)):
                rewrite = jobs_before_runtime if page in today else runtime_after_field_entry
                rewrites.append((page, rewrite))
        for page, rewrite in rewrites:
            if not page.exists():
                continue
            html = page.read_text(encoding="utf-8")
            changed = rewrite(html)
            if changed != html:
                page.write_text(changed, encoding="utf-8")
