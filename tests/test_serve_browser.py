"""`anttkg serve` in a real browser: Debian's headless Chromium driven by chromedriver (selenium).

search -> entity page -> evidence -> article, with the keyboard; screenshots are taken and checked (not
blank, the expected text present in the DOM). Screenshots go to $ANTTKG_SCREENSHOTS when set, otherwise to
a pytest temporary folder. Skips with the reason where Chromium, chromedriver or selenium is absent
(scripts/install-browser.sh installs them).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from anttkg.identity import anchored_iri
from anttkg.resolve import article_iri, local_person_iri
from anttkg.vocab import ID

from web_server import start_web

pytestmark = [pytest.mark.browser, pytest.mark.server]

# The real person, keyed on the only article that names Tô Lâm (docs/identity.md).
TO_LAM = anchored_iri("Tô Lâm", local_person_iri(article_iri("004_04839f540b1cc560"), "Tô Lâm"))
TO_LAM_PATH = "/id/" + TO_LAM[len(ID):]
WAIT = 15


def _binary(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
    chromium = _binary("chromium", "chromium-browser")
    driver_path = _binary("chromedriver")
    if not chromium or not driver_path:
        pytest.skip("Debian's chromium and chromium-driver are not installed (bash scripts/install-browser.sh)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1100", "--lang=vi", "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    try:
        driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    except Exception as err:  # a browser that cannot start here: say why and skip
        pytest.skip(f"headless Chromium did not start: {str(err).splitlines()[0]}")
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def web(sample_store, tmp_path_factory):
    server = start_web(sample_store, "--curate", log_dir=tmp_path_factory.mktemp("serve-browser-log"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("ANTTKG_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def screenshot(driver, folder: Path, name: str) -> Path:
    """Save a full-width screenshot and check it shows something: many colours, no single colour filling it."""
    from PIL import Image

    target = folder / f"{name}.png"
    assert driver.save_screenshot(str(target))
    with Image.open(target) as image:
        rgb = image.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 20)
        width, height = rgb.size
    assert width >= 800 and height >= 600
    assert colours is None or len(colours) > 50, f"{target} looks blank ({len(colours)} colours)"
    if colours:
        assert max(c for c, _rgb in colours) < 0.97 * width * height, f"{target} is nearly one colour"
    return target


def wait_for(driver, condition, message: str):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT).until(condition, message)


def test_search_entity_evidence_article_by_keyboard(browser, web, shots):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(web.base + "/")
    # The first Tab reaches the skip link; the search box is labelled.
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    assert browser.switch_to.active_element.text == "Skip to content"
    box = browser.find_element(By.ID, "home-search")
    assert box.accessible_name.startswith("Find a person")
    box.send_keys("to lam")
    listbox = browser.find_element(By.ID, "home-search-list")
    wait_for(browser, lambda d: listbox.is_displayed() and listbox.find_elements(By.CSS_SELECTOR, "li"),
             "no suggestions appeared")
    assert box.get_attribute("aria-expanded") == "true"
    first = listbox.find_elements(By.CSS_SELECTOR, "li")[0]
    assert "Tô Lâm" in first.text
    screenshot(browser, shots, "01-autocomplete")
    box.send_keys(Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    box.send_keys(Keys.ENTER)
    wait_for(browser, lambda d: d.current_url.endswith(TO_LAM_PATH), "Enter did not open the entity page")

    # The entity page: name, positions with their evidence, the person's mention marked.
    assert browser.find_element(By.TAG_NAME, "h1").text == "Tô Lâm"
    body = browser.find_element(By.TAG_NAME, "body").text
    for expected in ("Đại tướng", "Bộ trưởng", "Bộ Công an", "Hội nghị trực tuyến", "2019-03-15"):
        assert expected in body, expected
    # Each sentence a position or a mention was read from marks the person (and the fact's other
    # entities, e.g. the body of the post). An event's sentence is where the event was read, which need
    # not name every attendee.
    evidence = browser.find_elements(
        By.XPATH, "//section[h2[starts-with(normalize-space(), 'Positions')] or h2[@id='mentions-h']]"
                  "//figure[contains(@class, 'evidence')]")
    assert len(evidence) >= 3
    for figure in evidence:
        assert "Tô Lâm" in [m.text for m in figure.find_elements(By.CSS_SELECTOR, "mark")]
    assert browser.find_elements(By.CSS_SELECTOR, "figure.graph svg a")
    screenshot(browser, shots, "02-person")

    # Follow the evidence of the first position to its sentence in the article, with the keyboard.
    source = browser.find_element(By.CSS_SELECTOR, "section.facts-section figure.evidence a.source")
    quoted = source.find_element(By.XPATH, "../../blockquote").text
    href = source.get_attribute("href")
    assert "#s" in href
    browser.execute_script("arguments[0].focus()", source)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for(browser, lambda d: "/id/article/" in d.current_url, "the evidence link did not open the article")
    target = browser.execute_script("return document.querySelector(':target')")
    assert target is not None and target.get_attribute("class") == "sentence"
    assert target.text == quoted
    assert target.find_elements(By.CSS_SELECTOR, "a.mention")
    assert any(a.text == "Tô Lâm" for a in browser.find_elements(By.CSS_SELECTOR, "a.mention"))
    screenshot(browser, shots, "03-article")


def test_search_page_facets(browser, web, shots):
    from selenium.webdriver.common.by import By

    browser.get(web.url("/search", q="hung yen"))
    hits = browser.find_elements(By.CSS_SELECTOR, "ol.hits a.hit")
    assert any(h.text == "Hưng Yên" for h in hits)
    screenshot(browser, shots, "04-search")
    facet = browser.find_element(By.XPATH, "//aside[@class='facets']//a[text()='Organisation']")
    facet.click()
    wait_for(browser, lambda d: "type=organization" in d.current_url, "the facet link did not filter")
    hrefs = [h.get_attribute("href") for h in browser.find_elements(By.CSS_SELECTOR, "ol.hits a.hit")]
    assert hrefs and all("/id/organization/" in h for h in hrefs)


def test_sparql_page_runs_a_query(browser, web, shots):
    from selenium.webdriver.common.by import By

    browser.get(web.base + "/sparql")
    area = browser.find_element(By.ID, "query")
    area.clear()
    area.send_keys("SELECT DISTINCT ?name WHERE { ?p a <https://w3id.org/anttkg/ontology#Person> ; "
                   "<https://schema.org/name> ?name } ORDER BY ?name")
    browser.find_element(By.CSS_SELECTOR, ".sparql-form button[type=submit]").click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "section table td"), "no result table")
    cells = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "section table td")]
    assert "Tô Lâm" in cells
    screenshot(browser, shots, "05-sparql")


@pytest.mark.parametrize("page", ["/", "/search?q=bo+cong+an", "/sparql", TO_LAM_PATH])
def test_controls_are_labelled_and_reachable_by_tab(browser, web, page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(web.base + page)
    controls = [c for c in browser.find_elements(By.CSS_SELECTOR, "input, select, textarea, button")
                if c.is_displayed()]
    assert controls
    for control in controls:
        assert control.accessible_name.strip(), control.get_attribute("outerHTML")[:200]
    # Tab moves through focusable elements without getting stuck, and reaches the first control.
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    seen = []
    for _ in range(12):
        active = browser.switch_to.active_element
        seen.append(active.get_attribute("outerHTML")[:80])
        active.send_keys(Keys.TAB)
    assert len(set(seen)) > 3
    assert any(s.startswith(("<input", "<textarea", "<select")) for s in seen)


@pytest.fixture(scope="module")
def curating(sample_store, tmp_path_factory):
    """Curation on, over a copy of the sample store (a correction changes the store)."""
    store = tmp_path_factory.mktemp("browser-curated") / "store"
    shutil.copytree(sample_store, store)
    server = start_web(store, "--curate", log_dir=tmp_path_factory.mktemp("serve-browser-curate-log"))
    yield server
    server.stop()


def test_rename_from_the_page_shows_at_once(browser, curating, shots):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(curating.base + TO_LAM_PATH)
    box = browser.find_element(By.ID, "label-name")
    assert box.accessible_name == "Correct name"
    box.clear()
    box.send_keys("Tô Lâm (đã sửa)")
    box.send_keys(Keys.ENTER)  # the form submits from the keyboard
    wait_for(browser, lambda d: "recorded=label" in d.current_url, "the correction was not recorded")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Tô Lâm (đã sửa)"
    status = browser.find_element(By.CSS_SELECTOR, ".curate [role=status]").text
    assert "applied" in status
    screenshot(browser, shots, "06-corrected")
    from anttkg import curation

    assert curation.read(curating.store)[-1] == curation.Correction("label", (TO_LAM, "Tô Lâm (đã sửa)"))
