"""An official's day at a desktop (1280 wide): the workbench's overview of their area, a drill into a child
area, a figure followed to the filtered list, the filters kept through a switch of language, a supervision
note on an overdue event; the same
overview fits a phone. (A switch of language is kept on the account: each test switches back to Chinese,
the language the other tests expect of the demo accounts.)"""

from __future__ import annotations

import re

from tests.browser.helpers import DESKTOP, PHONE, assert_accessible, nav_badges, visit


def test_overview_drill_down_and_a_figure_to_its_filtered_list(new_context, live_server):
    page = new_context(viewport=DESKTOP, as_user="county").new_page()
    visit(page, "/")
    overview = page.locator("#overview")
    assert overview.is_visible()
    # The workbench link counts what waits (the same number as the to-do list).
    waiting = sum(int(n) for n in page.locator("ul.todos .count").all_inner_texts())
    badge = nav_badges(page).get("/", "")
    assert (badge.split()[0] if badge else "0") == str(waiting), badge
    assert "南关区" in page.locator("#overview-h").inner_text()
    # A child area's name opens the same overview for it.
    township = page.locator("#ov-children a[href='/areas/220102001/overview']")
    name = township.inner_text()
    with page.expect_navigation():
        township.click()
    assert page.url.endswith("/areas/220102001/overview")
    assert name in page.locator("h1").inner_text()
    assert page.locator("#overview-up").get_attribute("href") == "/areas/220102/overview"
    assert page.locator("#ov-children tbody tr").count() >= 1  # its villages
    assert_accessible(page, "overview of a township")
    # A figure is a link to the list it counts: the overdue events of the township.
    figure = page.locator("#ov-overdue")
    count = int(figure.inner_text())
    with page.expect_navigation():
        figure.click()
    assert re.search(r"/areas/220102001/events\?overdue=1$", page.url)
    assert page.locator("#f-overdue").is_checked()
    shown = page.locator("h1 .meta").inner_text()
    assert str(count) in shown  # the list's total is the figure
    # Switching to English keeps the filter, and back again.
    with page.expect_navigation():
        page.click("header .lang button[lang=en]")
    assert page.url.endswith("/areas/220102001/events?overdue=1")
    assert page.locator("html").get_attribute("lang") == "en" and page.locator("#f-overdue").is_checked()
    with page.expect_navigation():
        page.click("header .lang button[lang=zh-CN]")
    assert page.url.endswith("/areas/220102001/events?overdue=1")
    # An overdue event of the list: the official presses its unit with a supervision note (督办).
    first = page.locator("main table a[href^='/events/']").first
    href = first.get_attribute("href")
    with page.expect_navigation():
        first.click()
    page.fill("#supervise-note", "请于今日内处置完毕并回复（浏览器督办测试）")
    with page.expect_navigation():
        page.click("#supervise button[type=submit]")
    assert page.url.split("?")[0].endswith(href)
    assert "请于今日内处置完毕并回复（浏览器督办测试）" in page.locator("main").inner_text()


def test_a_search_run_in_the_page_survives_a_switch_of_language(new_context, live_server):
    page = new_context(viewport=DESKTOP, as_user="county").new_page()
    visit(page, "/areas/220102")
    page.fill("#q", "社区")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url("**/areas/220102/find?q=*")
    page.wait_for_selector("#search-results li, #search-results p")
    with page.expect_navigation():
        page.click("header .lang button[lang=en]")
    assert "/areas/220102/find?q=" in page.url and page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#q").input_value() == "社区"
    with page.expect_navigation():
        page.click("header .lang button[lang=zh-CN]")
    assert "/areas/220102/find?q=" in page.url and page.locator("#q").input_value() == "社区"


def test_the_overview_fits_a_phone(new_context, live_server):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, as_user="county").new_page()
    visit(page, "/areas/220102001/overview")
    width = page.evaluate("() => window.innerWidth")
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width, f"the overview scrolls sideways on a phone ({scroll} px > {width} px)"
