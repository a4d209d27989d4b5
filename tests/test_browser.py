"""The web application in a real headless Chromium, as users use it, over the demo corpus.

Each test saves a screenshot of its page under ``tests/_artifacts/screenshots/``. Console and
page errors (a script error, a refused script or style under the CSP) fail the test.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import text

from tests.plugins.browser import log_in, shot
from tests.plugins.web import USERS, WebServer


def no_script_errors(page: Any) -> None:
    # 4xx answers that a test provokes on purpose are logged by Chromium as failed resources
    errors = [e for e in page.script_errors if "Failed to load resource" not in e]
    assert not errors, errors


def test_log_in_and_out_in_the_browser(web: WebServer, page: Any) -> None:
    page.goto(f"{web.base}/")
    assert "/login" in page.url
    assert page.locator("h1").inner_text() == "Đăng nhập"
    page.fill("input[name=username]", USERS["analyst"][0])
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    assert "Sai tên đăng nhập hoặc mật khẩu" in page.locator(".error").inner_text()
    log_in(page, web.base, *USERS["analyst"])
    assert page.locator("nav.mainnav a.active").inner_text() == "Tổng quan"
    shot(page, "login_dashboard")
    page.click("button.lang[value=en]")
    page.wait_for_load_state()
    assert page.locator("nav.mainnav a.active").inner_text() == "Dashboard"
    page.click("text=Log out")
    page.wait_for_url(f"{web.base}/login")
    no_script_errors(page)


def test_dashboard_charts_render(demo_web: WebServer, page: Any) -> None:
    log_in(page, demo_web.base, *USERS["viewer"])
    charts = page.locator("[data-chart]")
    assert charts.count() >= 4
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-chart]')].every(el => el.querySelector('canvas'))"
    )
    for i in range(charts.count()):
        box = charts.nth(i).locator("canvas").first.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 100
    assert page.locator("a[href^='/stories/']").count() >= 3  # top stories
    shot(page, "dashboard_charts")
    no_script_errors(page)


def test_search_without_diacritics_finds_a_french_article(demo_web: WebServer, page: Any) -> None:
    log_in(page, demo_web.base, *USERS["viewer"])
    page.goto(f"{demo_web.base}/search")
    page.fill("input[name=q]", "bao mira mien trung")  # "bão Mira miền Trung", typed without diacritics
    page.click("#search-form button.primary")
    page.wait_for_selector("ol.hits li.hit")
    hits = page.locator("ol.hits li.hit")
    langs = [hits.nth(i).locator(".badge.lang").inner_text().strip().lower() for i in range(min(hits.count(), 20))]
    titles = [hits.nth(i).locator("h3").inner_text() for i in range(min(hits.count(), 20))]
    assert "vi" in langs and "fr" in langs, list(zip(langs, titles, strict=True))
    french = [t for lang, t in zip(langs, titles, strict=True) if lang == "fr"]
    assert any("Mira" in t for t in french), french
    assert "q=bao+mira" in page.url  # the search is a link
    shot(page, "search_french")
    no_script_errors(page)


def test_open_a_story_across_languages(demo_web: WebServer, page: Any) -> None:
    log_in(page, demo_web.base, *USERS["viewer"])
    page.goto(f"{demo_web.base}/stories")
    first = page.locator("table a[href^='/stories/']").first
    title, href = first.inner_text().strip(), first.get_attribute("href")
    page.goto(f"{demo_web.base}{href}")  # as a click would (a click waits on layout, flaky on a loaded machine)
    assert re.fullmatch(r"/stories/\d+", str(href))
    assert page.locator("h1").inner_text().strip() == title
    assert page.locator("section[id^='lang-']").count() >= 6  # the story in six languages or more
    page.wait_for_function("() => document.querySelectorAll('[data-chart] canvas').length >= 2")
    shot(page, "story")
    no_script_errors(page)


def test_confirm_a_narrative_match(demo_web: WebServer, page: Any) -> None:
    with demo_web.store.database.engine.connect() as conn:
        narrative_id, match_id = conn.execute(
            text("SELECT narrative_id, id FROM narrative_matches WHERE status = 'pending' ORDER BY score DESC LIMIT 1")
        ).one()
    log_in(page, demo_web.base, *USERS["analyst"])
    page.goto(f"{demo_web.base}/narratives/{narrative_id}")
    page.wait_for_function("() => document.querySelectorAll('[data-chart] canvas').length >= 1")  # the timeline
    confirmed = page.locator("[data-count=confirmed]")
    before = int(confirmed.inner_text())
    row = page.locator(f"#match-{match_id}")
    row.locator("button[value=confirm]").click()
    page.wait_for_function(f"() => document.querySelector('#match-{match_id} button[value=confirm]').disabled")
    page.wait_for_function(f"() => document.querySelector('[data-count=confirmed]').textContent === '{before + 1}'")
    with demo_web.store.database.engine.connect() as conn:
        status, decided_by = conn.execute(
            text("SELECT status, decided_by FROM narrative_matches WHERE id = :id"), {"id": match_id}
        ).one()
    assert (status, decided_by) == ("confirmed", USERS["analyst"][0])
    shot(page, "narrative_confirmed")
    # rejecting a match takes it out of the timeline, which is fetched and drawn again in place
    rows = page.locator("tr[id^=match-]:has(button[value=reject]:enabled)")
    assert rows.count() >= 1, "the demo narrative has another undecided match on its page"
    total = int(page.locator("#narrative-timeline").get_attribute("data-total") or 0)
    rows.first.locator("button[value=reject]").click()
    page.wait_for_function(f"() => document.querySelector('#narrative-timeline').dataset.total === '{total - 1}'")
    if total > 1:
        page.wait_for_function("() => document.querySelectorAll('#narrative-timeline [data-chart] canvas').length >= 1")
    no_script_errors(page)


def test_edit_a_fact_and_see_its_history(demo_web: WebServer, page: Any) -> None:
    with demo_web.store.database.engine.connect() as conn:
        fact_id = conn.execute(text("SELECT min(id) FROM facts")).scalar_one()
    log_in(page, demo_web.base, *USERS["analyst"])
    page.goto(f"{demo_web.base}/facts/{fact_id}/edit")
    body = page.locator("textarea[name=body]").first
    body.fill(body.input_value() + " Cập nhật: số liệu đã được kiểm tra lại.")
    page.click("form.fact-form button.primary")
    page.wait_for_url(re.compile(rf".*/facts/{fact_id}(\?.*)?(#.*)?$"))
    history = page.locator("table.fact-history tbody tr")
    assert history.count() >= 2
    assert USERS["analyst"][0] in history.first.inner_text()
    assert "Cập nhật: số liệu đã được kiểm tra lại." in page.content()
    shot(page, "fact_history")
    no_script_errors(page)


def test_a_viewer_cannot_edit(demo_web: WebServer, page: Any) -> None:
    with demo_web.store.database.engine.connect() as conn:
        fact_id = conn.execute(text("SELECT min(id) FROM facts")).scalar_one()
        before = conn.execute(text("SELECT version FROM facts WHERE id = :id"), {"id": fact_id}).scalar_one()
    log_in(page, demo_web.base, *USERS["viewer"])
    page.goto(f"{demo_web.base}/facts/{fact_id}")
    assert page.locator(f"a[href='/facts/{fact_id}/edit']").count() == 0  # no edit button for a viewer
    assert page.locator("button[value=confirm]").count() == 0
    answer = page.goto(f"{demo_web.base}/facts/{fact_id}/edit")
    assert answer is not None and answer.status == 403
    assert "Vai trò của bạn không cho phép" in page.content()
    shot(page, "viewer_refused")
    with demo_web.store.database.engine.connect() as conn:
        after = conn.execute(text("SELECT version FROM facts WHERE id = :id"), {"id": fact_id}).scalar_one()
    assert after == before
