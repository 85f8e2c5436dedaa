"""Headless Debian Chromium against the real Label Studio: what annotators see.

* the seed task's labeling page shows the CASUALTY/ACTOR/DATE labels and every
  pre-annotated region of the rules baseline (screenshot in tests/output/);
* offsets: on text with a flag, an emoji and ``\\r\\n``, a region sent at Python code-point
  offsets highlights exactly its text, and a region made in the UI by selecting text is
  stored at code-point offsets (UTF-16 counting or newline normalisation would give other
  numbers) — if a future Label Studio changes this, this test fails;
* selecting a casualty region shows its attributes; ACTOR and DATE regions made in the UI
  can be submitted although CASUALTY attributes are required (visibleWhen on the tags), and
  the per-region TextArea (TIMEX value, new actor) comes back as a list, which the importer
  reads;
* relations drawn in the UI (either direction) become date_ref / perpetrator_ref.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest

from conflictbench.labelstudio import config as C
from conflictbench.labelstudio.client import push
from conflictbench.labelstudio.preannotate import predictions_of
from conflictbench.labelstudio.export import export_to_documents
from conflictbench.labelstudio.gold import chooser
from conflictbench.labelstudio.tasks import document_to_task
from conflictbench.schema import empty_span, normalise_document

from .test_convert import TEXT, small_doc

pytestmark = [pytest.mark.labelstudio, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
         "--disable-background-networking --disable-component-update --disable-sync "
         "--window-size=1600,1200").split()


@pytest.fixture(scope="module")
def browser(ls_server, tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    opts = webdriver.ChromeOptions()
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    opts.binary_location = CHROMIUM
    # an explicit driver path: selenium-manager downloads nothing
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    drv.set_page_load_timeout(60)
    try:
        drv.get(ls_server.url + "/user/login/")
        drv.find_element(By.NAME, "email").send_keys(ls_server.username)
        drv.find_element(By.NAME, "password").send_keys(ls_server.password)
        drv.find_element(By.CSS_SELECTOR, "form button[type=submit], form input[type=submit]").click()
        wait_for(lambda: "/user/login" not in drv.current_url, "login")
        yield drv
    finally:
        drv.quit()


def wait_for(cond, what: str, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = cond()
        except Exception:  # the page is still building
            value = None
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def open_task(drv, url, project_id, task_id, n_regions):
    from selenium.webdriver.common.by import By

    drv.get(f"{url}/projects/{project_id}/data?task={task_id}")
    wait_for(lambda: len(drv.find_elements(By.CSS_SELECTOR, ".lsf-label")) >= 1, "the labels")
    if n_regions:
        wait_for(lambda: len(highlight_texts(drv)) >= n_regions, f"{n_regions} highlighted regions")


def highlight_texts(drv) -> list[str]:
    # a region is one or more span.htx-highlight sharing a class htx-highlight-<id>
    return drv.execute_script("""
        const by = new Map();
        for (const e of document.querySelectorAll('.lsf-richtext__container .htx-highlight')) {
          const key = Array.from(e.classList).find(c => /^htx-highlight-./.test(c)) || e;
          by.set(key, (by.get(key) || '') + e.textContent);
        }
        return Array.from(by.values());""")


def test_seed_task_renders_labels_and_preannotations(browser, ls_server, session, seed_doc, corpus, registry,
                                                     output_dir):
    from selenium.webdriver.common.by import By

    version, preds = predictions_of("rules.v1", [seed_doc], corpus=corpus).pair()
    res = push(session, [seed_doc], title="browser-seed", label_config=C.generate_config("main", registry=registry),
               instructions=C.instructions_html(None), predictions=[(version, preds)])
    (task,) = session.tasks(res.project_id)
    expected = Counter(s["text"] for f in ("casualties", "actors", "dates") for s in preds[0][f]
                       if s.get("start") is not None)
    assert expected, "the rules baseline found nothing on the seed document"
    open_task(browser, ls_server.url, res.project_id, task.id, sum(expected.values()))
    labels = [e.text.split("\n")[0].strip() for e in browser.find_elements(By.CSS_SELECTOR, ".lsf-label")]
    assert labels[:3] == ["CASUALTY", "ACTOR", "DATE"]
    assert Counter(highlight_texts(browser)) == expected
    assert seed_doc["title"] in browser.page_source
    # the guidelines are one click away (project instructions)
    assert [b for b in browser.find_elements(By.CSS_SELECTOR, "button") if b.text.strip() == "Instructions"]
    path = output_dir / "labelstudio-seed-task.png"
    assert browser.save_screenshot(str(path)) and path.stat().st_size > 10_000


def test_offsets_are_code_points_in_the_real_ui(browser, ls_server, session, registry, output_dir):
    from selenium.webdriver.common.by import By

    doc = small_doc()
    task, _ = document_to_task(doc, gold=True)
    c0 = [r for r in task["annotations"][0]["result"] if r.get("id") == "c0"]
    title = "browser-offsets"
    pid, _ = session.ensure_project(title, C.generate_config("main", registry=registry), "")
    session.call("import", session.ls.projects.import_tasks, pid,
                 request=[{"data": task["data"], "predictions": [{"model_version": "m", "result": c0}]}])
    (t,) = session.tasks(pid)
    open_task(browser, ls_server.url, pid, t.id, 1)
    # sent at code-point offsets [13, 30): highlighted exactly (UTF-16 would shift it by 3)
    assert highlight_texts(browser) == ["At least 3 people"]

    # selecting the casualty region shows its attributes, the actor ones stay hidden
    browser.find_element(By.CSS_SELECTOR, ".lsf-richtext__container .htx-highlight").click()
    wait_for(lambda: "Qualifier" in browser.find_element(By.TAG_NAME, "body").text, "the casualty attributes")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Victims" in body and "TIMEX3 value" not in body and "Entity (actor registry)" not in body
    browser.save_screenshot(str(output_dir / "labelstudio-region-attributes.png"))

    # make an ACTOR and a DATE region in the UI by selecting text, fill their attributes, submit
    make_region(browser, "ACTOR", "regime forces")
    fill_textarea(browser, "regime forces", "new_actor", "regime forces")  # an alias of syria_government
    make_region(browser, "DATE", "Thursday")
    fill_textarea(browser, "Thursday", "timex", "2020-01-16")
    browser.execute_script("""
        Array.from(document.querySelectorAll('label'))
          .filter(e => e.textContent.trim().startsWith('DATE') && e.closest('[class*=choices]'))[0].click();""")
    browser.save_screenshot(str(output_dir / "labelstudio-offsets-task.png"))
    (submit,) = [b for b in browser.find_elements(By.CSS_SELECTOR, "button") if b.text.strip() == "Submit"]
    submit.click()
    (ann,) = wait_for(lambda: list(session.ls.annotations.list(t.id)), "the submitted annotation")

    stored = {r["value"]["labels"][0]: r["value"] for r in ann.result if r.get("from_name") == "label"}
    start = TEXT.index("regime forces")
    assert start == 58  # code points: "🇸🇾" is 2, "😀" 1, "\r\n" 2
    assert len(TEXT[:start].encode("utf-16-le")) // 2 == 61  # what UTF-16 counting would store
    assert (stored["ACTOR"]["start"], stored["ACTOR"]["end"], stored["ACTOR"]["text"]) == (
        58, 58 + len("regime forces"), "regime forces")
    thursday = TEXT.index("Thursday")
    assert (stored["DATE"]["start"], stored["DATE"]["end"]) == (thursday, thursday + len("Thursday"))
    # the per-region TextArea trap, as the real UI stores it: value.text is a list
    (timex,) = [r for r in ann.result if r.get("from_name") == "timex"]
    assert timex["value"]["text"] == ["2020-01-16"]

    # and the importer turns the UI's annotation into the expected corpus document
    (doc,) = export_to_documents(session.export(pid), registry,
                                 choose=chooser(annotator=ls_server.username, users=session.users()))
    want = small_doc()
    assert doc["actors"] == [dict(empty_span("actors"), **want["actors"][0])]
    assert doc["dates"] == [dict(empty_span("dates"), **want["dates"][0])]
    # the pre-annotated casualty was taken over unchanged (it was sent without relations)
    assert doc["casualties"] == [{**empty_span("casualties"), **want["casualties"][0],
                                  "date_ref": None, "perpetrator_ref": None}]


def test_relations_drawn_in_the_real_ui(browser, ls_server, session, registry):
    """Relations made in the UI (one drawn backwards, from the actor to the casualty) become
    the casualty's date_ref and perpetrator_ref; Label Studio exports them without labels."""
    from selenium.webdriver.common.by import By

    doc = small_doc()
    task, _ = document_to_task(doc, gold=True)
    regions = [r for r in task["annotations"][0]["result"] if r.get("type") != "relation"]
    pid, _ = session.ensure_project("browser-relations", C.generate_config("main", registry=registry), "")
    session.call("import", session.ls.projects.import_tasks, pid,
                 request=[{"data": task["data"], "predictions": [{"model_version": "m", "result": regions}]}])
    (t,) = session.tasks(pid)
    open_task(browser, ls_server.url, pid, t.id, 3)
    for src, dst in (("At least 3 people", "Thursday"), ("regime forces", "At least 3 people")):
        browser.find_element(By.TAG_NAME, "body").send_keys("\ue00c")  # Escape
        select_in_outliner(browser, src)
        wait_for(lambda: browser.find_element(By.CSS_SELECTOR, "button[aria-label='Create Relation']"),
                 "the Create Relation button").click()
        (target,) = [h for h in browser.find_elements(By.CSS_SELECTOR, ".lsf-richtext__container .htx-highlight")
                     if h.text == dst]
        target.click()
    (submit,) = [b for b in browser.find_elements(By.CSS_SELECTOR, "button") if b.text.strip() == "Submit"]
    submit.click()
    (ann,) = wait_for(lambda: list(session.ls.annotations.list(t.id)), "the submitted annotation")
    rels = sorted((r["from_id"], r["to_id"]) for r in ann.result if r.get("type") == "relation")
    assert rels == [("a0", "c0"), ("c0", "d0")]
    (got,) = export_to_documents(session.export(pid), registry,
                                 choose=chooser(annotator=ls_server.username, users=session.users()))
    assert got == normalise_document(doc)


def select_in_outliner(drv, region_text: str) -> None:
    item = wait_for(lambda: drv.execute_script("""
        return Array.from(document.querySelectorAll('.lsf-outliner-item__text'))
          .find(e => e.textContent.trim() === arguments[0]);""", region_text), f"{region_text!r} in the outliner")
    item.click()


def make_region(drv, label: str, text: str) -> None:
    """Select ``label`` then the first occurrence of ``text``, as a mouse selection would."""
    from selenium.webdriver.common.by import By

    drv.find_element(By.TAG_NAME, "body").send_keys("\ue00c")  # Escape: nothing selected
    drv.execute_script("""
        Array.from(document.querySelectorAll('.lsf-label')).find(e => e.textContent.startsWith(arguments[0])).click();""",
                       label)
    picked = drv.execute_script("""
        const root = document.querySelector('.lsf-richtext__container');
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        let n;
        while ((n = walker.nextNode())) {
          const i = n.data.indexOf(arguments[0]);
          if (i < 0) continue;
          const range = document.createRange();
          range.setStart(n, i); range.setEnd(n, i + arguments[0].length);
          const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
          const rect = range.getBoundingClientRect();
          n.parentElement.dispatchEvent(new MouseEvent('mouseup', {bubbles: true, clientX: rect.right, clientY: rect.bottom}));
          return true;
        }
        return false;""", text)
    assert picked, text
    wait_for(lambda: text in highlight_texts(drv), f"the new {label} region {text!r}")


def fill_textarea(drv, region_text: str, name: str, value: str) -> None:
    """Select the region in the outliner, type into its per-region TextArea ``name``."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    select_in_outliner(drv, region_text)
    box = wait_for(lambda: [e for e in drv.find_elements(By.NAME, name) if e.is_displayed()], f"the {name} field")[0]
    box.send_keys(value)
    box.send_keys(Keys.ENTER)


def _muc4_task(session, muc4, title, pred_items, doc=None):
    """A project on MUC-4's registry with one task whose prediction holds ``pred_items``."""
    doc = doc or muc4.documents[0]
    pred = {"id": doc["id"], "casualties": [], "actors": [], "dates": [], **pred_items(doc)}
    task, _ = document_to_task(doc, predictions=[("m", pred)], registry=muc4.registry)
    pid, _ = session.ensure_project(title, C.generate_config("main", registry=muc4.registry), "")
    session.call("import", session.ls.projects.import_tasks, pid, request=[task])
    (t,) = session.tasks(pid)
    return doc, pid, t


def test_entity_picker_searches_the_muc4_registry(browser, ls_server, session, muc4, output_dir):
    """Issue 15, item 2, with MUC-4's 654 entities: the picker is sorted by name, searches as
    you type without firing hotkeys ("farabundo" holds a, d, u, r, b, n, o: label, deselect and
    choice hotkeys), and choosing an entity drops the prefilled new actor from what is submitted."""
    from selenium.webdriver.common.by import By

    assert len(muc4.registry) == 654

    def actor(doc):
        i = doc["text"].index(" ", 20)
        return {"actors": [{"start": 0, "end": i, "text": doc["text"][:i], "entity": "Some Unknown Front",
                            "type": "armed_group"}]}

    doc, pid, t = _muc4_task(session, muc4, "browser-picker", actor)
    (pre,) = t.predictions
    assert any(r["from_name"] == "new_actor" for r in pre.result)  # prefilled, as the issue saw it
    open_task(browser, ls_server.url, pid, t.id, 1)
    region_text = doc["text"][:doc["text"].index(" ", 20)]
    select_in_outliner(browser, region_text.strip())
    box = wait_for(lambda: [e for e in browser.find_elements(By.CSS_SELECTOR, ".htx-taxonomy") if e.is_displayed()],
                   "the entity picker")[0]
    box.find_element(By.CSS_SELECTOR, ".ant-select-selector").click()
    search = wait_for(lambda: [e for e in browser.find_elements(By.NAME, "taxonomy-search-input") if e.is_displayed()],
                      "the entity search box")[0]
    shown = [s for s, _i, _h in C.entity_choices(muc4.registry)]
    titles = wait_for(lambda: browser.execute_script("""
        return Array.from(document.querySelectorAll('.htx-taxonomy-dropdown .ant-select-tree-title'))
          .map(e => e.textContent.trim());"""), "the entity list")
    assert titles == shown[:len(titles)] and len(titles) >= 5  # sorted by name (a virtual list: the first ones)
    browser.save_screenshot(str(output_dir / "labelstudio-entity-picker-open.png"))

    search.send_keys("farabundo")
    want = [s for s in shown if "farabundo" in s.lower()]
    assert len(want) == 5
    wait_for(lambda: browser.execute_script("""
        return Array.from(document.querySelectorAll('.htx-taxonomy-dropdown .ant-select-tree-title'))
          .map(e => e.textContent.trim());""") == want, "the list filtered to the 5 FARABUNDO entities")
    # no hotkey fired: the region is still selected, still an ACTOR, nothing else was set on it
    assert [e for e in browser.find_elements(By.CSS_SELECTOR, ".htx-taxonomy") if e.is_displayed()]
    browser.save_screenshot(str(output_dir / "labelstudio-entity-picker-search.png"))
    browser.execute_script("""
        Array.from(document.querySelectorAll('.htx-taxonomy-dropdown .ant-select-tree-treenode'))
          .find(e => e.textContent.trim() === arguments[0]).querySelector('.ant-select-tree-checkbox').click();""",
                           want[0])
    chosen = C.entity_choices(muc4.registry)[shown.index(want[0])][1]
    browser.find_element(By.CSS_SELECTOR, ".lsf-richtext__container").click()  # close the drop-down
    (submit,) = [b for b in browser.find_elements(By.CSS_SELECTOR, "button") if b.text.strip() == "Submit"]
    submit.click()
    (ann,) = wait_for(lambda: list(session.ls.annotations.list(t.id)), "the submitted annotation")
    tags = sorted(r["from_name"] for r in ann.result)
    assert tags == ["actor_type", "entity", "label"], tags  # new_actor not submitted; no hotkey choice
    (ent,) = [r for r in ann.result if r["from_name"] == "entity"]
    assert ent["value"]["taxonomy"] == [[chosen]]
    (label,) = [r for r in ann.result if r["from_name"] == "label"]
    assert label["value"]["labels"] == ["ACTOR"]
    (got,) = export_to_documents(session.export(pid), muc4.registry,
                                 choose=chooser(annotator=ls_server.username, users=session.users()))
    assert got["actors"][0]["entity"] == chosen


def test_region_fields_visible_at_the_end_of_a_long_text(browser, ls_server, session, muc4, output_dir):
    """Issue 15, item 3: a casualty region near the end of the longest MUC-4 text of tst3; once
    it is selected, its qualifier, count and kind are on screen without scrolling."""
    from selenium.webdriver.common.by import By

    doc = max((d for d in muc4.documents if d["id"] in set(muc4.splits["tst3"])), key=lambda d: len(d["text"]))
    assert len(doc["text"]) > 4000

    def casualty(doc):
        text = doc["text"]
        start = text.rindex(" ", 0, len(text) - 40) + 1
        end = text.index(" ", start)
        return {"casualties": [{"start": start, "end": end, "text": text[start:end], "count": 2,
                                "qualifier": "exact", "kind": "killed", "victims": "people"}]}

    doc, pid, t = _muc4_task(session, muc4, "browser-long-text", casualty, doc)
    open_task(browser, ls_server.url, pid, t.id, 1)
    region = browser.find_element(By.CSS_SELECTOR, ".lsf-richtext__container .htx-highlight")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", region)
    time.sleep(0.5)
    region.click()
    wait_for(lambda: "Qualifier" in browser.find_element(By.TAG_NAME, "body").text, "the casualty fields")
    time.sleep(0.5)
    geometry = browser.execute_script("""
        const inView = e => { const r = e.getBoundingClientRect();
          return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; };
        const byText = t => Array.from(document.querySelectorAll('.lsf-choices, .lsf-choice, label'))
          .find(e => e.textContent.trim().startsWith(t) && e.offsetParent !== null);
        const region = document.querySelector('.lsf-richtext__container .htx-highlight');
        const numbers = Array.from(document.querySelectorAll('input[type=number]')).filter(e => e.offsetParent !== null);
        return {region: inView(region), exact: inView(byText('exact')), killed: inView(byText('killed')),
                civilians: inView(byText('civilians')), count: numbers.length > 0 && inView(numbers[0]),
                height: window.innerHeight};""")
    path = output_dir / "labelstudio-long-text-region-fields.png"
    assert browser.save_screenshot(str(path)) and path.stat().st_size > 10_000
    assert geometry == {"region": True, "exact": True, "killed": True, "civilians": True, "count": True,
                        "height": geometry["height"]}, geometry
