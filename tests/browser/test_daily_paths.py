"""A working day of each role, in the order they would do it, each step one tap from the last (issue 14).

The pieces each have their own tests (test_event_pages, test_maps, test_residents_pages, the warning
confirmation in test_accessibility, the official's overview in test_official_pages); these follow a person
from signing in to the end of a task, on the device they would use."""

from __future__ import annotations

from tests.browser.helpers import PHONE, login, screenshot, settle, visit
from tests.browser.test_event_pages import GRID, _event, _point_in_grid, _principal


def _handled_event(live_server, title: str) -> int:
    """A resident's report in the grid worker's grid, registered, dispatched, accepted and handled: it waits
    for the grid worker's check on site."""
    from linli.authz.principal import system_principal
    from linli.db.session import unit_of_work
    from linli.events import reporting, service
    from linli.events.schemas import ReportIn, TransitionIn

    with unit_of_work(live_server.session_factory) as session:
        lon, lat = _point_in_grid(session, 200)
        body = ReportIn(category_code="0301", title=title, lon=lon, lat=lat)
        event = reporting.report(session, _principal(session, "resident"), body, source="web").event
        office = system_principal("browser-tests")
        for step in (
            TransitionIn(action="register"),
            TransitionIn(action="dispatch"),
            TransitionIn(action="accept"),
            TransitionIn(action="handle", report="已清理完毕"),
        ):
            service.transition(session, office, event.id, step)
        return event.id


def _fits(page) -> None:
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= PHONE["width"], f"{page.url}: the page scrolls sideways ({scroll} px)"


def test_a_grid_worker_on_a_phone_checks_a_handled_event_from_the_workbench(new_context, live_server):
    event_id = _handled_event(live_server, "楼道杂物（日常核查测试）")
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    login(page, live_server, "gridworker")
    _fits(page)
    # The workbench says what waits: the handled events to check, one tap to the queue.
    todo = page.locator(".todos a[href$='/events/verify']")
    assert todo.count() == 1 and int(todo.locator(".count").inner_text()) >= 1
    with page.expect_navigation():
        todo.tap()
    settle(page)
    _fits(page)
    item = page.locator(f"#verify-queue a.button[href='/events/{event_id}#step-verify']")
    assert item.count() == 1 and item.bounding_box()["height"] >= 44  # a finger's width
    with page.expect_navigation():
        item.tap()
    settle(page)
    form = page.locator("#step-verify")
    form.scroll_into_view_if_needed()
    form.locator("input[name=passed][value=yes]").check()
    screenshot(page, "daily-gridworker-verify-phone")
    with page.expect_navigation():
        form.locator("button[type=submit]").tap()
    settle(page)
    assert _event(live_server, event_id).state == "verified"
    _fits(page)
    # Checked: no longer waiting in the queue.
    visit(page, f"/areas/{GRID}/events/verify")
    assert page.locator(f"#verify-queue a[href='/events/{event_id}#step-verify']").count() == 0


def test_a_resident_follows_their_report_and_reads_the_message_about_it(new_context, live_server):
    event_id = _handled_event(live_server, "路灯不亮（居民跟进测试）")
    from linli.notify.worker import run_worker  # the outbox worker delivers the step messages to the inbox

    run_worker(live_server.session_factory, once=True)
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, as_user="resident").new_page()
    visit(page, "/")
    _fits(page)
    # Home: my reports with their progress, the newest first.
    row = page.locator(f"a[href='/events/{event_id}']").first
    assert row.count() == 1
    with page.expect_navigation():
        row.tap()
    settle(page)
    assert "路灯不亮（居民跟进测试）" in page.locator("h1").inner_text()
    timeline = page.locator("main").inner_text()
    assert "已处置" in timeline or "处置" in timeline
    assert "cli:" not in timeline and "browser-tests" not in timeline  # no staff account names
    _fits(page)
    # The messages: the unread badge in the menu, the message about the report linking to it.
    badge = page.locator("nav.mainnav a[href='/inbox'] .badge")
    assert badge.count() == 1 and int(badge.inner_text().split()[0]) >= 1
    with page.expect_navigation():
        page.locator("nav.mainnav a[href='/inbox']").tap()
    settle(page)
    _fits(page)
    message = page.locator(".inbox li.unread", has_text=f"事件 #{event_id}「路灯不亮（居民跟进测试）」: 已处置").first
    assert message.count() == 1
    screenshot(page, "daily-resident-inbox-phone")
    # Its details: the report's own page, and the message is read.
    with page.expect_navigation():
        message.locator("form[action$='/open'] button").tap()
    settle(page)
    assert page.url.endswith(f"/events/{event_id}")
    visit(page, "/inbox")
    opened = page.locator(".inbox li", has_text=f"事件 #{event_id}「路灯不亮（居民跟进测试）」: 已处置")
    assert opened.count() == 1 and "unread" not in (opened.get_attribute("class") or "")


def test_a_community_worker_sees_who_a_notice_will_reach_before_publishing_it(new_context, live_server):
    page = new_context(as_user="community").new_page()
    visit(page, "/")
    with page.expect_navigation():
        page.click("nav.mainnav a[href$='/notices']")
    with page.expect_navigation():
        page.click("main a.button[href$='/notices/new']")
    page.fill("#title", "独居老人冬季走访通知（浏览器测试）")
    page.fill("#body", "本周内网格员将上门走访，请保持电话畅通。")
    page.check("#a-tag")
    page.select_option("#tag", "elderly_alone")
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")
    settle(page)
    assert "done=saved" in page.url
    # Before publishing: who it reaches, by channel, and the residents of the register it is meant for.
    preview = page.locator("#audience-preview")
    assert preview.is_visible()
    text = preview.inner_text()
    assert "工作人员" in text and "登记在册" in text, text
    residents = int(text.split("登记在册", 1)[1].split("：", 1)[1].split()[0])
    assert residents >= 1  # the demo register has people living alone in the community
    # (whether some have no channel is the route tests' matter; said here, it is said before the button)
    warned = page.locator("#audience-none, #audience-some")
    if warned.count():
        assert warned.get_attribute("role") == "alert"
    screenshot(page, "daily-community-notice-preview-desktop")
    page.check("#p-confirm")
    with page.expect_navigation():
        page.click("form[action$='/publish'] button[type=submit]")
    settle(page)
    assert "done=published" in page.url
    assert "独居老人冬季走访通知（浏览器测试）" in page.locator("h1").inner_text()
