"""The whole UI is translated: every message in the code and templates has a zh_CN translation."""

from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from linli.kit import i18n
from tests import ROOT
from tests.factories import auth, load_world, make_user, token_for

PO = ROOT / "src" / "linli" / "locale" / "zh_CN" / "LC_MESSAGES" / "messages.po"
METHODS = [("src/linli/**.py", "python"), ("src/linli/web/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "t": None, "N_": None}
PLACEHOLDER = re.compile(r"\{(\w+)[^}]*\}|%\((\w+)\)[sd]")


def extracted() -> set:
    found = set()
    for _, _, message, _, _ in extract_from_dir(
        str(ROOT),
        method_map=[(p, m) for p, m in METHODS],
        keywords=KEYWORDS,
        options_map={"src/linli/web/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        found.add(message)
    return found


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def test_every_message_has_a_chinese_translation():
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    messages = extracted()
    assert len(messages) > 200  # the extraction itself works
    missing, fuzzy, mismatched = [], [], []
    for msgid in messages:
        m = catalog.get(msgid)
        if m is None or not (m.string if isinstance(m.string, str) else all(m.string)):
            missing.append(msgid)
            continue
        if m.fuzzy:
            fuzzy.append(msgid)
        singular = msgid[0] if isinstance(msgid, tuple) else msgid
        translated = m.string if isinstance(m.string, str) else m.string[0]
        if placeholders(singular) != placeholders(translated):
            mismatched.append(msgid)
    assert not missing, f"untranslated (run tools/update_catalog.py and translate): {missing}"
    assert not fuzzy, f"fuzzy translations: {fuzzy}"
    assert not mismatched, f"placeholders differ between English and Chinese: {mismatched}"


def test_each_message_is_in_the_catalogue_once():
    """A message written twice (by two domains, appended by hand) gets one of its translations on every page:
    "Hours" read 办理时间 (the hours a counter is open) on the columns of hours spent. Two meanings take two
    English messages."""
    text = PO.read_text(encoding="utf-8")
    keys = re.findall(r'^(?:msgctxt ("[^\n]*")\n)?msgid ("[^\n]*"(?:\n"[^\n]*")*)\n', text, re.M)
    counted: dict[tuple[str, str], int] = {}
    for key in keys:
        counted[key] = counted.get(key, 0) + 1
    assert len(keys) > 200
    twice = sorted(msgid for (ctx, msgid), n in counted.items() if n > 1)
    assert not twice, f"messages written more than once in {PO.name}: {twice}"


def test_t_translates_and_formats_in_the_current_locale():
    token = i18n.set_locale("zh-CN")
    try:
        assert i18n.t("grid {code} does not exist", code="220102001001001") == "网格 220102001001001 不存在"
        assert i18n.t("the grid overlaps grid {other_code} by {overlap:,.0f} m²", other_code="x", overlap=1234.4) == (
            "网格与网格 x 重叠 1,234 平方米"
        )
    finally:
        i18n.reset_locale(token)
    assert i18n.t("grid {code} does not exist", code="1") == "grid 1 does not exist"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"),
        ("en-GB,en;q=0.9", "en"),
        ("fr-FR, en;q=0.5", "en"),
        ("de", None),
        (None, None),
    ],
)
def test_accept_language(header, expected):
    assert i18n.from_accept_language(header) == expected


def test_pages_default_to_chinese_and_switch_to_english(client, session):
    r = client.get("/login")
    assert '<html lang="zh-CN"' in r.text and "登录" in r.text
    r = client.post("/prefs/lang/en", data={"next": "/login"}, follow_redirects=True)
    assert '<html lang="en"' in r.text and "Sign in" in r.text and "登录" not in r.text.split("<main")[1]


def test_api_errors_follow_accept_language(client, session):
    load_world(session)
    user = make_user(session, "lang_user", "official", "220102")
    tok = token_for(session, user)
    session.commit()
    r = client.get("/api/v1/grids/220102001001009", headers=auth(tok))
    assert r.json()["error"]["message"] == "grid 220102001001009 does not exist"
    r = client.get("/api/v1/grids/220102001001009", headers={**auth(tok), "Accept-Language": "zh-CN,zh;q=0.9"})
    assert r.json()["error"]["message"] == "网格 220102001001009 不存在"


def test_event_errors_in_chinese_on_pages_and_by_request_on_the_api(client, session):
    from tests.factories_events import as_principal, events_world, report

    w = events_world(session)
    event = report(session, as_principal(session, w["people"]["resident"]), w["point"], title="LangEvent")
    h = auth(token_for(session, w["people"]["community"]))
    key = token_for(session, w["people"]["resident"])
    session.commit()
    # A page (no language chosen): Chinese.
    r = client.post(f"/events/{event.id}/step", data={"action": "accept"}, headers=h)
    assert r.status_code == 409 and "不能执行 accept；可执行的下一步：" in r.text
    assert "allowed next steps" not in r.text
    # The API: English by default, Chinese when asked; the code stays the same.
    url = f"/api/v1/events/{event.id}/transitions"
    r = client.post(url, json={"action": "accept"}, headers=h)
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition"
    assert r.json()["error"]["message"].startswith("cannot accept an event that is reported; allowed next steps:")
    r = client.post(url, json={"action": "accept"}, headers={**h, "Accept-Language": "zh-CN"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition"
    assert r.json()["error"]["message"].startswith("事件当前状态为 reported，不能执行 accept；")
    # Open311 stays English whatever the client's language, in the messages it shares with the API too.
    form = {"api_key": key, "service_code": "0301", "lat": "0", "long": "0"}
    r = client.post("/open311/v2/requests.json", data=form, headers={"Accept-Language": "zh-CN"})
    assert r.status_code == 400 and r.json()[0]["description"].startswith("no area served here")


def test_resident_errors_in_chinese_on_pages_and_by_request_on_the_api(client, session):
    from tests.factories_residents import GRID, make_grids

    load_world(session)
    make_grids(session)
    worker = auth(token_for(session, make_user(session, "lang_gw", "grid_worker", GRID)))
    session.commit()
    # The import page (Chinese by default) gives each bad row's reason in Chinese.
    csv = f"户编号,网格编码,与户主关系,姓名,公民身份号码\nN1,{GRID},户主,坏人,220102199001011234\n"
    r = client.post(
        "/residents/import", params={"dry_run": "true"}, files={"file": ("r.csv", csv.encode())}, headers=worker
    )
    assert r.status_code == 422 and "身份证号有误：身份证号校验位错误" in r.text
    # The API: English by default, Chinese when asked.
    r = client.get("/api/v1/persons/999999", headers=worker)
    assert r.status_code == 404 and r.json()["error"]["message"] == "person 999999 does not exist"
    r = client.get("/api/v1/persons/999999", headers={**worker, "Accept-Language": "zh-CN,zh;q=0.9"})
    assert r.json()["error"]["message"] == "居民 999999 不存在"
    r = client.post(
        "/api/v1/residents/import",
        files={"file": ("r.csv", csv.encode())},
        headers={**worker, "Accept-Language": "zh-CN"},
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "import_rejected"
    assert r.json()["error"]["message"] == "1 行中有 1 行有误；未导入任何数据"
