"""Headless Debian Chromium opening the generated site from disk (``file://``).

* index: ranks, intervals and top groups as the DOM shows them, against hand-derived values
  (tests/support/site_synthetic.py says how every count arises);
* browser page: filters really hide documents (system, field, only errors, TP/FP/FN), the
  filter state follows the pager, pagination and "go to page" land on the right documents;
* keyboard: the skip link is the first stop; text contrast ≥ 4.5:1 (WCAG AA) on the page's
  text, marks and table headers;
* a synthetic 100,000-document run: the weight of the index and of a browser page, under
  stated bounds, and the load time of both in Chromium (recorded, not asserted).

Screenshots and the measured weights go to ``tests/output/`` (kept as test artefacts).
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest

from conflictbench.site import build_site

from .conftest import ROOT
from .support.site_synthetic import write_synthetic_run

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
         "--disable-background-networking --disable-component-update --disable-sync "
         "--allow-file-access-from-files --window-size=1400,1000").split()
OUTPUT = ROOT / "tests" / "output"
SLUG = "r-5e7e7e7e7e7e"

#: bounds of the 100k-document run, in bytes: the index holds no per-document data (its size does
#: not grow with the corpus); a browser page holds 20 documents whatever the corpus size
INDEX_BOUND = 100_000
PAGE_BOUND = 120_000


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-site')}")
    opts.binary_location = CHROMIUM
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)  # no selenium-manager download
    drv.set_page_load_timeout(60)
    try:
        yield drv
    finally:
        drv.quit()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """60 synthetic documents, 20 to a page (3 pages), groups from 199 bootstrap resamples."""
    base = tmp_path_factory.mktemp("site60")
    run = write_synthetic_run(base / "r", 60)
    build_site([run], base / "site", page_size=20, n_resamples=199)
    OUTPUT.mkdir(exist_ok=True)
    return base / "site"


def shot(drv, name: str) -> None:
    """A screenshot of the whole page (the window grown to the page's height, at most 5000 px)."""
    OUTPUT.mkdir(exist_ok=True)
    height = min(5000, int(drv.execute_script("return document.documentElement.scrollHeight")))
    drv.set_window_size(1400, max(1000, height))
    drv.save_screenshot(str(OUTPUT / name))
    drv.set_window_size(1400, 1000)


def board(drv, field: str, level: str = "mention"):
    from selenium.webdriver.common.by import By

    rows = drv.find_elements(By.CSS_SELECTOR, f"#t-{SLUG}-{field}-{level} tr[data-system]")
    return [(r.get_attribute("data-system"), r.find_element(By.CSS_SELECTOR, "td.rank").text,
             r.find_element(By.CSS_SELECTOR, "td.grp").text, r) for r in rows]


def test_index_ranks_intervals_groups(driver, site):
    from selenium.webdriver.common.by import By

    driver.get((site / "index.html").as_uri())
    shot(driver, "site-index.png")
    # dates: good.v1 F1 1 (60 tp), bad.v1 F1 0 (60 fn): p = 1/200, Holm (m = 1) = 0.005 → out
    dates = board(driver, "dates")
    assert [(n, r, g) for n, r, g, _ in dates] == [("good.v1", "1", "★ yes"), ("bad.v1", "2", "no")]
    assert dates[1][3].find_element(By.CSS_SELECTOR, "td.padj").text == "0.0050"
    # actors: both F1 0 → a shared rank 1, both in the top group (difference 0, p = 1)
    assert [(n, r, g) for n, r, g, _ in board(driver, "actors")] == [("bad.v1", "1", "★ yes"), ("good.v1", "1", "★ yes")]
    # casualties: bad.v1 60/0/0 (F1 1) above good.v1 54/6/6 (F1 0.9)
    cas = board(driver, "casualties")
    assert [n for n, *_ in cas] == ["bad.v1", "good.v1"]
    assert cas[1][3].find_element(By.CSS_SELECTOR, "td.f1").text == "0.900"
    # the interval: the synthetic results give F1 ± 0.01, drawn at x = 6 + 148·v
    ci = cas[1][3].find_element(By.CSS_SELECTOR, "td.ci")
    assert "[0.890, 0.910]" in ci.text
    bar = ci.find_element(By.CSS_SELECTOR, "line.iv")
    assert float(bar.get_attribute("x1")) == pytest.approx(6 + 148 * 0.89, abs=0.06)
    assert float(bar.get_attribute("x2")) == pytest.approx(6 + 148 * 0.91, abs=0.06)
    # one chart per field, ticks on both axes; every page links the downloads
    charts = driver.find_elements(By.CSS_SELECTOR, "figure.fig > svg")
    assert len(charts) == 3
    assert "1.0" in [t.text for t in charts[0].find_elements(By.TAG_NAME, "text")]
    hrefs = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, ".downloads a")]
    assert any(h.endswith("results.json") for h in hrefs) and any(h.endswith("documents.csv") for h in hrefs)


def visible_ids(drv):
    from selenium.webdriver.common.by import By

    return [a.get_attribute("data-id") for a in drv.find_elements(By.CSS_SELECTOR, "article.doc") if a.is_displayed()]


def set_filters(drv, *, sys="all", field="all", errors=False, st=("tp", "fp", "fn")):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(drv.find_element(By.NAME, "sys")).select_by_visible_text(sys if sys != "all" else "all systems")
    Select(drv.find_element(By.NAME, "field")).select_by_value(field)
    for s in ("tp", "fp", "fn"):
        box = drv.find_element(By.NAME, f"st-{s}")
        if box.is_selected() != (s in st):
            box.click()
    box = drv.find_element(By.NAME, "errors")
    if box.is_selected() != errors:
        box.click()


def test_browser_filters_and_pagination(driver, site):
    from selenium.webdriver.common.by import By

    driver.get((site / "browse" / SLUG / "p1.html").as_uri())
    assert visible_ids(driver) == [f"doc-{i}" for i in range(20)]
    # good.v1's casualty errors: every 10th document (the wrong number) → doc-0, doc-10 on page 1
    set_filters(driver, sys="good.v1", field="casualties", errors=True)
    assert visible_ids(driver) == ["doc-0", "doc-10"]
    assert driver.find_element(By.ID, "shown").text == "2"
    # only good.v1's sections remain inside a document
    doc0 = driver.find_element(By.ID, "d-0")
    assert [s.get_attribute("data-sys") for s in doc0.find_elements(By.CSS_SELECTOR, "section.sys")
            if s.is_displayed()] == ["s0"]
    rows = [r for r in doc0.find_elements(By.CSS_SELECTOR, "section.sys[data-sys=s0] tr[data-field]") if r.is_displayed()]
    assert [r.find_element(By.CSS_SELECTOR, ".st").text for r in rows] == ["incorrect"]  # the dates TP row is hidden
    shot(driver, "site-browse-filtered.png")
    # bad.v1's FP actors (an invented actor in every 3rd document): 0, 3, …, 18
    set_filters(driver, sys="bad.v1", field="actors", st=("fp",))
    assert visible_ids(driver) == [f"doc-{i}" for i in range(0, 20, 3)]
    # the state follows the pager: page 2 shows bad.v1's FP actors among doc-20 … doc-39
    driver.find_element(By.CSS_SELECTOR, "nav.pager a[rel=next]").click()
    assert driver.current_url.split("#")[0].endswith("/p2.html")
    assert visible_ids(driver) == [f"doc-{i}" for i in range(21, 40, 3)]
    set_filters(driver)
    assert visible_ids(driver) == [f"doc-{i}" for i in range(20, 40)]
    box = driver.find_element(By.NAME, "page")
    box.clear()
    box.send_keys("3")
    driver.find_element(By.CSS_SELECTOR, "#goto button").click()
    assert driver.current_url.split("#")[0].endswith("/p3.html")
    assert visible_ids(driver) == [f"doc-{i}" for i in range(40, 60)]
    assert not driver.find_elements(By.CSS_SELECTOR, "nav.pager a[rel=next]")  # the last page
    # the corpus-wide error list of good.v1: 6 documents (0, 10, …, 50), linking into their pages
    driver.get((site / "browse" / SLUG / "errors-s0-1.html").as_uri())
    links = driver.find_elements(By.CSS_SELECTOR, "main table a")
    assert [a.text for a in links] == [f"doc-{i}" for i in range(0, 60, 10)]
    assert links[3].get_attribute("href").endswith("p2.html#d-30")


def _luminance(rgb):
    def ch(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (ch(x) for x in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(css: str):
    return [int(x) for x in re.findall(r"\d+", css)[:3]]


def contrast(fg: str, bg: str) -> float:
    a, b = sorted((_luminance(_rgb(fg)), _luminance(_rgb(bg))), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_keyboard_and_contrast(driver, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver.get((site / "browse" / SLUG / "p1.html").as_uri())
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    first = driver.switch_to.active_element
    assert first.text == "Skip to content" and first.get_attribute("href").endswith("#main")
    # the filters are reachable and usable by keyboard: focus the system menu, choose with arrows
    sel = driver.find_element(By.NAME, "sys")
    sel.send_keys(Keys.ARROW_DOWN)  # → good.v1
    assert sel.get_attribute("value") == "s0"
    shot(driver, "site-browse.png")
    checks = [("main p", "body"), ("mark.tp", None), ("mark.fp", None), ("mark.fn", None), ("th", None),
              ("header.top a", "header.top"), (".st.missing", None)]
    for css, bg_of in checks:
        el = driver.find_element(By.CSS_SELECTOR, css)
        fg = el.value_of_css_property("color")
        bg_el = driver.find_element(By.CSS_SELECTOR, bg_of) if bg_of else el
        bg = bg_el.value_of_css_property("background-color")
        assert contrast(fg, bg) >= 4.5, (css, fg, bg)


def _load_ms(drv, url: str) -> float:
    t0 = time.monotonic()
    drv.get(url)
    wall = (time.monotonic() - t0) * 1000
    nav = drv.execute_script("var e = performance.getEntriesByType('navigation')[0]; return e ? e.duration : null;")
    return float(nav if nav else wall)


def test_weight_at_100k_documents(driver, tmp_path):
    """A synthetic run of 100,000 documents (written directly, not scored); groups from 5
    resamples (the weight does not depend on them). Bounds: INDEX_BOUND, PAGE_BOUND."""
    n = 100_000
    run = write_synthetic_run(tmp_path / "r", n)
    summary = build_site([run], tmp_path / "site", page_size=20, n_resamples=5)
    site = tmp_path / "site"
    browse = site / "browse" / SLUG
    pages = sorted(browse.glob("p*.html"), key=lambda p: int(p.stem[1:]))
    assert len(pages) == 5000 and pages[-1].name == "p5000.html"
    index_bytes = (site / "index.html").stat().st_size
    page_bytes = [p.stat().st_size for p in (pages[0], pages[2499], pages[-1])]
    biggest = max(p.stat().st_size for p in site.rglob("*.html"))
    assert index_bytes < INDEX_BOUND
    assert max(page_bytes) < PAGE_BOUND
    assert biggest < PAGE_BOUND  # no page of the site holds all documents
    assert len(re.findall(r'<article class="doc"', pages[2499].read_text())) == 20
    index_ms = _load_ms(driver, (site / "index.html").as_uri())
    page_ms = _load_ms(driver, pages[2499].as_uri())
    assert len(visible_ids(driver)) == 20 and visible_ids(driver)[0] == "doc-49980"
    shot(driver, "site-100k-page2500.png")
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / "site-100k-weights.json").write_text(json.dumps({
        "documents": n, "html_pages": summary.n_pages, "index_bytes": index_bytes,
        "browser_page_bytes": page_bytes, "largest_html_bytes": biggest,
        "index_bound": INDEX_BOUND, "page_bound": PAGE_BOUND,
        "index_load_ms": round(index_ms, 1), "page_load_ms": round(page_ms, 1),
    }, indent=1) + "\n")
    shutil.rmtree(tmp_path)  # ~450 MB: not kept with the temporary folders of earlier sessions
