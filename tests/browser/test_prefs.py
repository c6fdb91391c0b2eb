"""Language and text size: switched from any page (small POST forms that look like links) and remembered."""

from __future__ import annotations

from tests.browser.helpers import login, visit


def test_language_switch_is_remembered(page, live_server):
    page.goto("/login")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("h1").inner_text() == "登录"
    with page.expect_navigation():
        page.click("header .lang button[lang=en]")
    assert page.url.endswith("/login")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Sign in"
    assert page.locator("label[for=username]").inner_text() == "User name"
    # Remembered on the next page, signed in as someone whose account still says Chinese: the
    # account's own language wins at sign-in.
    login(page, live_server, "langtest")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    # Switching while signed in is remembered on the account: after signing out and in again
    # (with a clean browser), it is English.
    with page.expect_navigation():
        page.click("header .lang button[lang=en]")
    assert page.url == live_server.url + "/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("nav.mainnav a[href='/']").inner_text() == "Home"
    visit(page, "/account/password")
    assert page.locator("h1").inner_text() == "Change your password"
    with page.expect_navigation():
        page.click("header form[action='/logout'] button")
    assert page.locator("h1").inner_text() == "Sign in"
    page.context.clear_cookies()
    page.goto("/login")
    assert page.locator("h1").inner_text() == "登录"  # a new browser starts in Chinese
    login(page, live_server, "langtest")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("nav.mainnav a[href='/']").inner_text() == "Home"
    # And back to Chinese.
    with page.expect_navigation():
        page.click("header .lang button[lang=zh-CN]")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("nav.mainnav a[href='/']").inner_text() == "首页"


def test_large_text_is_remembered(page, live_server):
    page.goto("/login")
    normal = page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert "large-text" not in (page.locator("html").get_attribute("class") or "")
    with page.expect_navigation():
        page.click("header button.textsize")
    assert "large-text" in page.locator("html").get_attribute("class")
    large = page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert large >= normal * 1.2
    page.reload()
    assert "large-text" in page.locator("html").get_attribute("class")
    login(page, live_server, "resident")
    assert "large-text" in page.locator("html").get_attribute("class")
    # The button now offers normal text, and switches back, to the page it was on (query included).
    visit(page, "/areas/220102001001?page=1")
    with page.expect_navigation():
        page.click("header button.textsize")
    assert page.url.endswith("/areas/220102001001?page=1")
    assert "large-text" not in (page.locator("html").get_attribute("class") or "")


def test_the_choices_work_without_scripts_and_by_keyboard(new_context, live_server):
    # Plain forms: no htmx, no script needed; a button is reached with Tab and pressed with Enter.
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/login?next=/areas/22")
    page.focus("header .lang button[lang=en]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/login?next=/areas/22")
    assert page.locator("h1").inner_text() == "Sign in"
    # A link to the old address changes nothing.
    resp = page.goto("/prefs/text/large?next=/login")
    assert resp.status == 405
    page.goto("/login")
    assert "large-text" not in (page.locator("html").get_attribute("class") or "")
