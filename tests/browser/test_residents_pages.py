"""The residents register in the browser: a community worker registers a household with its members on a
phone, sees every mistake with the member it belongs to, corrects it and saves."""

from __future__ import annotations

from datetime import date

from tests.browser.helpers import PHONE, assert_accessible, screenshot, settle, visit

GRID = "220102001001001"


def _number(born: date, seq: int, *, wrong_check: bool = False) -> str:
    from linli.residents.idcard import make_id

    number = make_id("220102", born, seq)
    return number[:-1] + ("0" if number[-1] != "0" else "1") if wrong_check else number


def _fits_the_phone(page) -> None:
    width = page.evaluate("() => window.innerWidth")
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert width == PHONE["width"] and scroll <= width, f"{page.url}: {scroll} px wide on a {width} px phone"


def test_community_worker_registers_a_household_on_a_phone(new_context):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, as_user="community").new_page()
    visit(page, f"/grids/{GRID}/households")
    with page.expect_navigation():
        page.get_by_role("link", name="登记新户").click()
    settle(page)
    assert page.url.endswith(f"/grids/{GRID}/households/new")
    _fits_the_phone(page)
    page.fill("#address", "浏览器测试路7号1单元202室")
    page.select_option("#register_type", "resident")
    members = [
        ("head", "韩立", _number(date(1958, 11, 3), 731)),
        ("spouse", "柳眉", _number(date(1960, 2, 14), 742)),
        ("child", "韩小川", _number(date(1989, 9, 9), 753, wrong_check=True)),  # a typing mistake
    ]
    for n, (relation, name, number) in enumerate(members, 1):
        page.select_option(f"#m{n}_relation", relation)
        page.fill(f"#m{n}_name", name)
        page.fill(f"#m{n}_id_number", number)
    page.fill("#m1_phone", "13944445555")
    page.check("input[name=m1_tags][value=elderly_alone]")
    with page.expect_navigation() as nav:
        page.get_by_role("button", name="登记此户").click()
    settle(page)
    assert nav.value.status == 422
    errors = page.locator("#form-errors")
    assert "第3位成员：身份证号校验位错误" in errors.inner_text()
    assert "第1位成员" not in errors.inner_text() and "第2位成员" not in errors.inner_text()
    # Everything typed is still there.
    assert page.input_value("#address") == "浏览器测试路7号1单元202室"
    assert page.input_value("#m3_name") == "韩小川" and page.input_value("#m3_id_number") == members[2][2]
    assert page.is_checked("input[name=m1_tags][value=elderly_alone]")
    _fits_the_phone(page)
    assert_accessible(page, "household-new with errors")
    screenshot(page, "household-new-errors-phone")
    page.fill("#m3_id_number", _number(date(1989, 9, 9), 753))
    with page.expect_navigation() as nav:
        page.get_by_role("button", name="登记此户").click()
    settle(page)
    assert "/households/" in page.url and nav.value.status == 200
    text = page.locator("main").inner_text()
    assert "韩立" in text and "柳眉" in text and "韩小川" in text
    assert "139****5555" in text and "13944445555" not in text
    _fits_the_phone(page)
    screenshot(page, "household-new-saved-phone")
    # The new household is found by a member's name, in the grid's list.
    visit(page, f"/grids/{GRID}/households?q=韩小川")
    assert page.get_by_role("link", name="浏览器测试路7号1单元202室").count() == 1
    _fits_the_phone(page)


def test_residents_pages_fit_a_phone(new_context):
    """The search with its conditions open, the residents page with its filters and export, the import page
    and the move form's grid list: no sideways scrolling at 390 px."""
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, as_user="community").new_page()
    for path in (
        f"/grids/{GRID}/households?room=302&tag=elderly_alone",
        "/areas/220102001001/households?q=路",
        "/areas/220102001001/residents?tag=elderly_alone",
        "/residents/import",
    ):
        visit(page, path)
        _fits_the_phone(page)
    # The grid picker narrows its list as one types (the script), without reloading.
    visit(page, f"/grids/{GRID}/households")
    page.locator("ul.households a").first.click()
    settle(page)
    move = page.locator("a[href$='/move']").first.get_attribute("href")
    visit(page, move)
    _fits_the_phone(page)
    listed = page.locator("#to_area_code option:not([hidden])").count()
    assert listed > 2
    page.fill("#grid_q", "没有这样的网格")
    assert page.locator("#to_area_code option:not([hidden])").count() == 1  # only "— choose —"
    assert "0" in page.locator("#grid-count").inner_text()
