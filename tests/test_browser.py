"""The web application in a real headless Chromium: what a user does, with a screenshot each."""

from __future__ import annotations

from typing import Any

from tests.plugins.browser import log_in, shot
from tests.plugins.web import USERS, WebServer


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
    assert not page.script_errors, page.script_errors
