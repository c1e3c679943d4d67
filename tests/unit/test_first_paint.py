"""The build plugin's rewrites (khs_crm/first_paint.py) on pages shaped like React Router's."""

from __future__ import annotations

import re

from khs_crm.first_paint import (
    inline_stylesheets,
    jobs_before_runtime,
    runtime_after_field_entry,
    scripts_after_first_paint,
)
from khs_crm.offline.pwa import FIELD_MODULES, FIRST_PAINT_MODULES

CSS_HREF = "/assets/__reflex_global_styles-AbC123.css"
CSS = ".btn{color:#92400e}.card{padding:8px}"
HEAD = (
    f'<head><link as="style" href="{CSS_HREF}" rel="preload"/><title>Sign in</title>'
    '<link rel="modulepreload" href="/assets/manifest-1.js"/>'
    '<link rel="modulepreload" href="/assets/entry.client-2.js"/>'
    '<script src="/khs_page.js" type="module"></script>'
    f'<link href="{CSS_HREF}" rel="stylesheet" type="text/css"/></head>'
)
MODULE = (
    '<script type="module" async="">import "/assets/manifest-1.js";\n'
    'import * as route0 from "/assets/root-3.js";\n'
    'import * as route1 from "/assets/_login_._index-4.js";\n'
    '  \n  window.__reactRouterRouteModules = {"root":route0,"routes/[login]._index":route1};\n\n'
    'import("/assets/entry.client-2.js");</script>'
)
PAGE = f"<!DOCTYPE html><html>{HEAD}<body><main><h1>Sign in</h1></main>{MODULE}</body></html>"


def test_the_stylesheet_is_copied_in_and_its_links_are_inert():
    page = inline_stylesheets(PAGE, {CSS_HREF: CSS}.__getitem__)
    assert f'<style data-href="{CSS_HREF}">{CSS}</style>' in page
    # the links React rendered stay (it hydrates them), neither blocks nor downloads
    assert f'<link href="{CSS_HREF}" rel="stylesheet" type="text/css" disabled=""/>' in page
    assert f'<link as="style" href="{CSS_HREF}" rel="preload" media="not all"/>' in page
    assert page.index("<style") < page.index('rel="stylesheet"')
    assert (
        page.replace(f'<style data-href="{CSS_HREF}">{CSS}</style>', "")
        .replace(' disabled=""', "")
        .replace(' media="not all"', "")
        == PAGE
    )


def test_a_stylesheet_with_relative_urls_stays_linked():
    css = ".hero{background:url(hero.png)}"
    assert inline_stylesheets(PAGE, {CSS_HREF: css}.__getitem__) == PAGE
    absolute = ".hero{background:url(/assets/hero.png)}"
    assert "<style" in inline_stylesheets(PAGE, {CSS_HREF: absolute}.__getitem__)


def test_a_closing_style_tag_in_the_css_cannot_end_the_element():
    css = '.x::after{content:"</style><script>alert(1)</script>"}'
    page = inline_stylesheets(PAGE, {CSS_HREF: css}.__getitem__)
    style = re.search(r"<style[^>]*>(.*?)</style>", page, re.S)
    assert style and "<script>" in style[1] and "<\\/style" in style[1]


def test_a_page_without_a_built_stylesheet_is_unchanged():
    page = PAGE.replace(f'<link href="{CSS_HREF}" rel="stylesheet" type="text/css"/>', "")
    assert inline_stylesheets(page, {}.__getitem__) == page


def test_sign_in_scripts_start_after_the_first_paint():
    page = scripts_after_first_paint(PAGE)
    assert "modulepreload" not in page
    module = re.search(r'<script type="module" async="">(.*?)</script>', page, re.S)
    assert module
    body = module[1]
    assert not re.search(r"^import ", body, re.M)  # no static import left
    wait = body.index("requestAnimationFrame")
    loads = body.index(
        'const [_module0, route0, route1] = await Promise.all([import("/assets/manifest-1.js"), '
        'import("/assets/root-3.js"), import("/assets/_login_._index-4.js")]);'
    )
    routes = body.index('window.__reactRouterRouteModules = {"root":route0')
    entry = body.index('import("/assets/entry.client-2.js");')
    assert wait < loads < routes < entry
    assert "setTimeout(go, 500)" in body  # a tab opened in the background still starts
    # everything else on the page is as it was
    assert page.replace(module[0], MODULE) == re.sub(
        r'<link rel="modulepreload" href="[^"]+"/>', "", PAGE
    )


def test_a_page_without_route_imports_is_unchanged():
    page = PAGE.replace(MODULE, "<script>window.x = 1;</script>")
    assert scripts_after_first_paint(page) == page


TODAY_MODULE = MODULE.replace("_login_._index-4.js", "_field_._index-5.js").replace(
    "[login]._index", "[field]._index"
)
FIELD_PRELOADS = "".join(f'<link href="{m}" rel="modulepreload"/>' for m in FIELD_MODULES)
TODAY = PAGE.replace(MODULE, TODAY_MODULE).replace(
    "<title>Sign in</title>", "<title>Today</title>" + FIELD_PRELOADS
)


def test_today_preloads_only_what_paints_the_jobs_and_starts_the_runtime_after_them():
    page = jobs_before_runtime(TODAY)
    preloaded = re.findall(r'<link[^>]*rel="modulepreload"[^>]*>', page)
    assert preloaded == [f'<link rel="modulepreload" href="{m}"/>' for m in FIRST_PAINT_MODULES]
    # the field app's other modules and the runtime are not preloaded
    assert "/khs_store.js" not in "".join(preloaded) and "entry.client" not in "".join(preloaded)
    assert page.index('href="/khs_page.js"') < page.index('<script src="/khs_page.js"')
    module = re.search(r'<script type="module" async="">(.*?)</script>', page, re.S)
    assert module
    body = module[1]
    assert not re.search(r"^import ", body, re.M)
    wait = body.index('addEventListener("khs:runtime", go, { once: true })')
    loads = body.index('await Promise.all([import("/assets/manifest-1.js")')
    assert wait < loads < body.index('import("/assets/entry.client-2.js");')
    assert "if (window.khsRuntime) go();" in body  # said before this module ran
    assert "setTimeout(go, 3000)" in body  # never held back for longer
    # the stylesheet stays linked (copied in, it made this page's paint later)
    assert "<style" not in page and 'rel="stylesheet" type="text/css"/>' in page


def test_a_page_without_the_entry_module_is_unchanged():
    page = TODAY.replace('<script src="/khs_page.js" type="module"></script>', "")
    assert jobs_before_runtime(page) == page
    bare = TODAY.replace(TODAY_MODULE, "<script>window.x = 1;</script>")
    assert jobs_before_runtime(bare) == bare


def test_other_field_pages_start_the_runtime_when_the_field_entry_says_so():
    jobs = TODAY.replace("<title>Today</title>", "<title>Jobs</title>")
    page = runtime_after_field_entry(jobs)
    # every preload stays: only the start waits
    assert re.findall(r"<link[^>]*modulepreload[^>]*>", page) == re.findall(
        r"<link[^>]*modulepreload[^>]*>", jobs
    )
    module = re.search(r'<script type="module" async="">(.*?)</script>', page, re.S)
    assert module and 'addEventListener("khs:runtime"' in module[1]
    assert not re.search(r"^import ", module[1], re.M)
