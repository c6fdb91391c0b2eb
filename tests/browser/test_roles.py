"""Each demo role signs in and sees only what it should; bad requests get clear pages."""

from __future__ import annotations

import pytest

from tests.browser.helpers import login, nav_links, screenshot, settle, visit

# username → (their place: the page their start page leads to, shows "Users", shows "Audit log")
ROLES = {
    "admin": ("/areas/22", True, True),
    "province": ("/areas/22", True, False),
    "county": ("/areas/220102", True, False),
    "street": ("/areas/220102001", True, False),
    "community": ("/areas/220102001001", False, False),
    "gridworker": ("/grids/220102001001001", False, False),
    "resident": ("/areas/220102001001", False, False),
    "auditor": ("/areas/22", True, True),
}
AREA_NAMES = {
    "/areas/22": "吉林省",
    "/areas/220102": "南关区",
}


@pytest.mark.parametrize("username", list(ROLES))
def test_each_role_sees_its_own_area_and_nav(page, live_server, username):
    start, sees_users, sees_audit = ROLES[username]
    login(page, live_server, username)
    if username == "resident":  # a resident starts on their home, their place one tap away
        assert page.url == live_server.url + "/", f"{username} landed on {page.url}"
        assert page.locator("#report-link").count() == 1
        with page.expect_navigation():
            page.click(f"a[href='{start}']")
        settle(page)
        assert page.url == live_server.url + start
        home_label = "首页"
    else:  # staff start on their workbench, their place one tap away
        assert page.url == live_server.url + "/", f"{username} landed on {page.url}"
        assert page.locator("#todo-h").inner_text() == "待办事项"
        with page.expect_navigation():
            page.click(f"ul.cards a[href='{start}']")
        settle(page)
        assert page.url == live_server.url + start
        home_label = "工作台"
    links = nav_links(page)
    assert ("/admin/users" in links) is sees_users, links
    assert ("/audit" in links) is sees_audit, links
    assert links.get("/") == home_label and "/account/password" not in links
    # One's own account beside one's name: password for everyone, API tokens for staff only.
    mine = nav_links(page, "header nav.account")
    assert mine.get("/account/password") == "密码" and "/account/tokens" not in links
    assert ("/account/tokens" in mine) is (username != "resident")
    if sees_users:
        assert links["/admin/users"] == "用户"
    if start in AREA_NAMES:
        assert page.locator("h1").inner_text() == AREA_NAMES[start]
    # The breadcrumb starts at the user's own reach: nothing above it is a link.
    crumbs = page.locator("nav.crumbs a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    for href in crumbs:
        code = href.rsplit("/", 1)[-1]
        assert start.rsplit("/", 1)[-1].startswith(code), f"{username} sees a link to {href} outside their reach"
    # Pages behind the missing links refuse.
    if not sees_users:
        assert page.goto("/admin/users").status == 403
    if not sees_audit:
        assert page.goto("/audit").status == 403
    if username == "gridworker":
        visit(page, start)
        assert page.locator("h1").inner_text().strip()
        assert page.locator("#map .leaflet-overlay-pane path").count() >= 1


def test_county_official_cannot_open_another_county(page, live_server):
    login(page, live_server, "county")
    other = page.goto("/areas/220103")
    assert other.status == 404
    other_html = page.locator("main").inner_html().replace("220103", "CODE")
    assert "宽城区" not in page.content()  # not even the name of the place
    unknown = page.goto("/areas/229999")
    assert unknown.status == 404
    # The same page, but for the code asked for: out of reach looks exactly like unknown.
    assert page.locator("main").inner_html().replace("229999", "CODE") == other_html
    assert page.locator("h1").inner_text() == "未找到"  # in the reader's language (Chinese by default)
    screenshot(page, "not-found-desktop")
    # Nor a grid, a village or the search of another county.
    assert page.goto("/areas/220103001").status == 404
    assert page.goto("/areas/220103/find?q=街道").status == 404
    assert page.goto("/areas/22").status == 404


def test_wrong_password_same_message_for_real_and_unknown_account(page, live_server):
    page.goto("/login")
    page.fill("#username", "pwtest")
    page.fill("#password", "not-the-password-1")
    with page.expect_navigation() as nav:
        page.click("form[action='/login'] button[type=submit]")
    assert nav.value.status == 401
    real = page.locator("#login-error").inner_text()
    page.fill("#username", "nobody-such")
    page.fill("#password", "not-the-password-1")
    with page.expect_navigation() as nav:
        page.click("form[action='/login'] button[type=submit]")
    assert nav.value.status == 401
    unknown = page.locator("#login-error").inner_text()
    assert real == unknown
    assert "用户名或密码错误" in real
    # The form keeps the name typed and can be used again: the right password signs in.
    assert page.input_value("#username") == "nobody-such"
    login(page, live_server, "pwtest")
    assert page.url == live_server.url + "/" and page.locator("#report-link").count() == 1


def test_form_without_csrf_token_gets_a_clear_page(page, live_server):
    login(page, live_server, "county")
    page.goto("/account/tokens")
    page.fill("#name", "no-csrf")
    page.evaluate("document.querySelector('form[action=\"/account/tokens\"] input[name=csrf_token]').remove()")
    with page.expect_navigation() as nav:
        page.click("form[action='/account/tokens'] button[type=submit]")
    assert nav.value.status == 403
    assert page.locator("h1").inner_text() == "无权访问"
    body = page.locator("main").inner_text()
    assert "Traceback" not in page.content()
    assert "安全令牌" in body or "security token" in body, body
    assert page.locator("main a[href='/']").count() == 1
    screenshot(page, "csrf-desktop")
    # Nothing was created.
    page.goto("/account/tokens")
    assert "no-csrf" not in page.locator("main table").inner_text()
    # The login form has its own token: a stale one gets the form again, with a message.
    page.context.clear_cookies()
    page.goto("/login")
    page.context.clear_cookies()
    page.fill("#username", "county")
    page.fill("#password", live_server.passwords["county"])
    with page.expect_navigation() as nav:
        page.click("form[action='/login'] button[type=submit]")
    assert nav.value.status == 403
    assert page.locator("#login-error").inner_text().strip()
    assert page.locator("#username").input_value() == "county"


def test_expired_session_leads_back_to_sign_in(page, live_server):
    from sqlalchemy import update

    from linli.authn.models import User, WebSession
    from linli.db.session import unit_of_work
    from linli.kit.time import utcnow

    login(page, live_server, "expirytest")
    assert page.url == live_server.url + "/"
    page.goto("/account/tokens")
    with unit_of_work(live_server.session_factory) as s:
        uid = s.query(User.id).filter(User.username == "expirytest").scalar()
        s.execute(update(WebSession).where(WebSession.user_id == uid).values(expires_at=utcnow()))
    # A page: back to the sign-in form, which then returns to the page.
    resp = page.goto("/areas/220102001001")
    assert resp.status == 200
    assert "/login" in page.url and "next=" in page.url
    assert page.locator("h1").inner_text() == "登录"
    # A form posted with the expired session: the sign-in page too, nothing created, no stack trace.
    page.goto("/login")
    login(page, live_server, "expirytest", next_="/account/tokens")
    assert page.url.endswith("/account/tokens")
    with unit_of_work(live_server.session_factory) as s:
        s.execute(update(WebSession).where(WebSession.user_id == uid).values(expires_at=utcnow()))
    page.fill("#name", "after-expiry")
    with page.expect_navigation():
        page.click("form[action='/account/tokens'] button[type=submit]")
    assert "/login" in page.url
    assert "Traceback" not in page.content()
    login(page, live_server, "expirytest", next_="/account/tokens")
    assert "after-expiry" not in page.locator("main table").inner_text()
    # A cookie that was never valid is treated the same.
    page.context.add_cookies([{"name": "linli_session", "value": "forged", "url": live_server.url}])
    page.goto("/account/password")
    assert "/login" in page.url
