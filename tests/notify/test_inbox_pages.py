"""The message centre (/inbox): a user's own messages newest first, unread marked and counted in the
menu, opened (read, then on to what they are about), marked read one by one or all at once; another
user's message is not there (404), and a stored link never leads off the site."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from linli.kit.time import utcnow
from linli.notify.models import InboxMessage
from tests.factories import auth, make_user, token_for


@pytest.fixture
def people(areas):
    session = areas
    me = make_user(session, "inbox_me", "community_worker", "220102001001")
    other = make_user(session, "inbox_other", "community_worker", "220102001001")
    now = utcnow()
    rows = {}
    for i, (kind, title, link) in enumerate(
        [
            ("warning.issue", "南关区气象台发布暴雨黄色预警信号", "/warnings/220102QX2026120401"),
            ("notice.publish", "停水通知", "/notices/7"),
            ("event.dispatch", "事件已派遣", "//evil.example/phish"),
        ]
    ):
        m = InboxMessage(
            user_id=me.id,
            kind=kind,
            title=title,
            body=f"第{i}条",
            link=link,
            outbox_key=f"k{i}",
            created_at=now + timedelta(minutes=i),
        )
        session.add(m)
        rows[kind] = m
    theirs = InboxMessage(
        user_id=other.id, kind="notice.publish", title="别人的消息", link="/notices/8", outbox_key="k9"
    )
    session.add(theirs)
    session.flush()
    tok = token_for(session, me)
    session.commit()
    return {"tok": tok, "rows": rows, "theirs": theirs}


def badge(html: str) -> str | None:
    m = re.search(r'href="/inbox"[^>]*>[^<]*<span class="badge">(\d+)', html)
    return m.group(1) if m else None


def test_the_inbox_lists_my_messages_newest_first_with_the_unread_count_in_the_menu(client, people):
    page = client.get("/inbox", headers=auth(people["tok"])).text
    titles = re.findall(r'<p class="title" id="t\d+">([^<]+)</p>', page)
    assert titles == ["事件已派遣", "停水通知", "南关区气象台发布暴雨黄色预警信号"]
    assert "别人的消息" not in page
    assert page.count('class="unread"') == 3 and badge(page) == "3"


def test_opening_a_message_marks_it_read_and_goes_to_what_it_is_about(client, people):
    h = auth(people["tok"])
    notice = people["rows"]["notice.publish"]
    r = client.post(f"/inbox/{notice.id}/open", headers=h, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/notices/7")
    page = client.get("/inbox", headers=h).text
    assert badge(page) == "2" and re.search(rf'<li id="m{notice.id}">', page)  # no longer "unread"
    # A link that would leave the site is not followed: back to the inbox, and no button offers it.
    odd = people["rows"]["event.dispatch"]
    r = client.post(f"/inbox/{odd.id}/open", headers=h, follow_redirects=False)
    assert r.headers["location"] == "/inbox"
    assert f'action="/inbox/{odd.id}/open"' not in client.get("/inbox", headers=h).text


def test_unread_only_mark_one_and_mark_all(client, people):
    h = auth(people["tok"])
    warning = people["rows"]["warning.issue"]
    back = "/inbox?read=unread"
    r = client.post(f"/inbox/{warning.id}/read", data={"back": back}, headers=h, follow_redirects=False)
    assert r.headers["location"] == back  # back to the list it was marked on
    unread = client.get(back, headers=h).text
    assert "南关区气象台" not in unread and "停水通知" in unread
    assert client.post("/inbox/read-all", headers=h, follow_redirects=False).status_code == 303
    page = client.get(back, headers=h).text
    assert 'id="no-messages"' in page and badge(page) is None


def titles(html: str) -> list[str]:
    return re.findall(r'<p class="title" id="t\d+">([^<]+)</p>', html)


def test_filters_by_kind_and_read_kept_in_the_url(client, people):
    h = auth(people["tok"])
    assert titles(client.get("/inbox?kind=warning", headers=h).text) == ["南关区气象台发布暴雨黄色预警信号"]
    assert titles(client.get("/inbox?kind=notice", headers=h).text) == ["停水通知"]
    assert titles(client.get("/inbox?kind=event", headers=h).text) == ["事件已派遣"]
    notice = people["rows"]["notice.publish"]
    client.post(f"/inbox/{notice.id}/read", headers=h)
    assert titles(client.get("/inbox?read=read", headers=h).text) == ["停水通知"]
    assert "停水通知" not in titles(client.get("/inbox?read=unread", headers=h).text)
    assert titles(client.get("/inbox?kind=notice&read=unread", headers=h).text) == []
    # The form shows the filters chosen, and marking read returns to the same filtered list.
    page = client.get("/inbox?kind=warning&read=unread", headers=h).text
    assert '<option value="warning" selected>' in page and '<option value="unread" selected>' in page
    assert 'name="back" value="/inbox?kind=warning&amp;read=unread"' in page
    # A filter typed by hand that does not exist: said in words, and every message listed.
    bad = client.get("/inbox?kind=gossip", headers=h | {"Cookie": "linli_lang=en"})
    assert bad.status_code == 422 and "Unknown kind of message" in bad.text and len(titles(bad.text)) == 3
    # The way back never leaves the inbox.
    r = client.post(f"/inbox/{notice.id}/read", data={"back": "//evil.example/"}, headers=h, follow_redirects=False)
    assert r.headers["location"] == "/inbox"
    r = client.post("/inbox/read-all", data={"back": "/admin/users"}, headers=h, follow_redirects=False)
    assert r.headers["location"] == "/inbox"


def test_another_users_message_is_not_there(client, people):
    h = auth(people["tok"])
    theirs = people["theirs"].id
    assert client.post(f"/inbox/{theirs}/open", headers=h, follow_redirects=False).status_code == 404
    assert client.post(f"/inbox/{theirs}/read", headers=h, follow_redirects=False).status_code == 404
    assert client.post("/inbox/999999/open", headers=h, follow_redirects=False).status_code == 404


# --- notification settings ------------------------------------------------------------------------


def test_a_person_subscribes_on_the_web_and_stops_again(client, people, session):
    h = auth(people["tok"])
    page = client.get("/account/notifications", headers=h).text
    assert 'id="no-subs"' in page
    r = client.post(
        "/account/notifications",
        data={"topic": "notices", "channel": "webhook", "address": "139 1234 5678"},
        headers=h,
        follow_redirects=False,
    )
    assert (r.status_code, r.headers["location"]) == (303, "/account/notifications?done=on")
    page = client.get("/account/notifications?done=on", headers=h).text
    assert "139****5678" in page and "13912345678" not in page  # masked on the page
    (sub_id,) = re.findall(r'<tr id="sub(\d+)">', page)
    r = client.post(f"/account/notifications/{sub_id}/withdraw", headers=h, follow_redirects=False)
    assert r.headers["location"] == "/account/notifications?done=off"
    assert 'id="no-subs"' in client.get("/account/notifications", headers=h).text


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"topic": "notices", "channel": "email", "address": "not-an-address"}, "e-mail address"),
        ({"topic": "notices", "channel": "webhook", "address": "12345"}, "phone number"),
        ({"topic": "gossip", "channel": "inbox"}, "unknown topic"),
        ({"topic": "notices", "channel": "pigeon"}, "Choose from the list"),
    ],
)
def test_bad_settings_are_refused_with_the_reason_and_the_form_kept(client, people, form, message):
    h = auth(people["tok"]) | {"Cookie": "linli_lang=en"}
    r = client.post("/account/notifications", data=form, headers=h)
    assert r.status_code == 422 and message in r.text
    assert 'id="no-subs"' in r.text  # nothing was saved
    if form.get("address"):
        assert f'value="{form["address"]}"' in r.text


def test_another_persons_subscription_is_not_there(client, people, session):
    from linli.notify.models import Subscription

    other = session.query(InboxMessage).filter_by(outbox_key="k9").one().user_id
    sub = Subscription(user_id=other, area_code="220102001001000", channel="inbox", topic="notices", recorded_by="x")
    session.add(sub)
    session.commit()
    r = client.post(f"/account/notifications/{sub.id}/withdraw", headers=auth(people["tok"]), follow_redirects=False)
    assert r.status_code == 404


def lang_next(html: str, locale: str) -> set[str]:
    """The `next` of the form switching to `locale`."""
    form = rf'action="/prefs/lang/{locale}"[^>]*>\s*<input type="hidden" name="next" value="([^"]+)"'
    return set(re.findall(form, html))


def test_switching_language_keeps_the_filters(client, people):
    """中文 → English → 中文 on a filtered list: the filters survive both switches (the forms post the
    page's path with its query string, and the switch returns there)."""
    h = auth(people["tok"])
    url = "/inbox?kind=warning&read=unread"
    page = client.get(url, headers=h | {"Cookie": "linli_lang=zh-CN"}).text
    (back,) = lang_next(page, "en")
    assert back.replace("&amp;", "&") == url
    r = client.post("/prefs/lang/en", data={"next": back.replace("&amp;", "&")}, headers=h, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, url)
    english = client.get(r.headers["location"], headers=h | {"Cookie": "linli_lang=en"}).text
    assert '<option value="warning" selected>Warnings</option>' in english
    assert titles(english) == ["南关区气象台发布暴雨黄色预警信号"]
    (back,) = lang_next(english, "zh-CN")
    r = client.post("/prefs/lang/zh-CN", data={"next": back.replace("&amp;", "&")}, headers=h, follow_redirects=False)
    assert r.headers["location"] == url
