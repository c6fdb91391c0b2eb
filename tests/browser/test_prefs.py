"""Language and text size: switched from any page and remembered."""

from __future__ import annotations

from tests.browser.helpers import login, visit


def test_language_switch_is_remembered(page, live_server):
    page.goto("/login")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("h1").inner_text() == "登录"
    page.click("header .lang a[hreflang=en]")
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
    page.click("header .lang a[hreflang=en]")
    assert page.url.endswith("/areas/220102001001")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("nav.mainnav a[href='/']").inner_text() == "My areas"
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
    assert page.locator("nav.mainnav a[href='/']").inner_text() == "My areas"
    # And back to Chinese.
    page.click("header .lang a[hreflang=zh-CN]")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("nav.mainnav a[href='/']").inner_text() == "我的辖区"


def test_large_text_is_remembered(page, live_server):
    page.goto("/login")
    normal = page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert "large-text" not in (page.locator("html").get_attribute("class") or "")
    page.click("header a.textsize")
    assert "large-text" in page.locator("html").get_attribute("class")
    large = page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert large >= normal * 1.2
    page.reload()
    assert "large-text" in page.locator("html").get_attribute("class")
    login(page, live_server, "resident")
    assert "large-text" in page.locator("html").get_attribute("class")
    # The link now offers normal text, and switches back.
    page.click("header a.textsize")
    assert page.url.endswith("/areas/220102001001")
    assert "large-text" not in (page.locator("html").get_attribute("class") or "")
