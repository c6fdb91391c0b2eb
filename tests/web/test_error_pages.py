"""Error pages in the reader's language: a page's bad parameters listed as fields in words (not pydantic's
English), a refusal naming the permission in words, 404, 405 and 500 translated; the API keeps its JSON."""

from __future__ import annotations

import pytest
from fastapi import Depends
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field, ValidationError

from linli.authz.deps import public
from linli.kit import i18n
from linli.web.pages import error_lines, field_name
from tests.factories import auth, make_user, token_for

EN = {"Cookie": "linli_lang=en"}
ZH = {"Cookie": "linli_lang=zh-CN"}


@pytest.fixture
def tok(areas):
    user = make_user(areas, "err_gw", "grid_worker", "220102001001")
    secret = token_for(areas, user)
    areas.commit()
    return secret


def test_bad_parameters_of_a_page_are_listed_in_words_in_each_language(client, tok):
    zh = client.get("/inbox?page=abc", headers=auth(tok) | ZH)
    assert zh.status_code == 422 and "<h1>输入有误</h1>" in zh.text
    assert "<li>页码：请填写整数</li>" in zh.text and "Input should" not in zh.text
    en = client.get("/inbox?page=0", headers=auth(tok) | EN)
    assert "<h1>Invalid input</h1>" in en.text and "<li>page number: give 1 or more</li>" in en.text
    assert "nothing was changed" in en.text
    # The API keeps its JSON, pydantic's detail by field included.
    api = client.get("/api/v1/inbox?page=abc", headers=auth(tok))
    body = api.json()["error"]
    assert api.status_code == 422 and body["code"] == "invalid_input"
    assert body["details"][0]["field"] == "query.page" and body["message"].startswith("query.page: ")


def test_pydantic_errors_in_words():
    class Body(BaseModel):
        title: str = Field(max_length=5)
        page: int
        tags: list[int]
        kind: str = Field(pattern="^a$")

    with pytest.raises(ValidationError) as caught:
        Body(title="toolongtitle", page="big", tags=[1, "x"], kind="b")
    token = i18n.set_locale("en")
    try:
        lines = error_lines(caught.value)
        assert lines[:3] == [
            "title: at most 5 characters",
            "page number: give a whole number",
            "tags, item 2: give a whole number",
        ]
        assert lines[3] == "kind: this value is not valid"  # a problem without wording of its own
    finally:
        i18n.reset_locale(token)
    token = i18n.set_locale("zh-CN")
    try:
        assert error_lines(caught.value)[0] == "标题：最多 5 个字符"
        assert field_name(("query", "lon")) == "经度" and field_name(("body",)) == ""
    finally:
        i18n.reset_locale(token)


def test_not_found_and_method_not_allowed_pages_are_translated(client, tok):
    zh = client.get("/no-such-page", headers=auth(tok) | ZH)
    assert zh.status_code == 404 and "<h1>未找到</h1>" in zh.text and "Not found" not in zh.text
    en = client.get("/no-such-page", headers=auth(tok) | EN)
    assert "<h1>Not found</h1>" in en.text
    r = client.put("/inbox", headers=auth(tok) | EN)
    assert r.status_code == 405 and "GET" in r.headers["allow"]
    assert "<h1>Not possible here</h1>" in r.text and "does not answer a PUT request" in r.text
    r = client.put("/inbox", headers=auth(tok) | ZH)
    assert "此地址不接受 PUT 请求。" in r.text and "Method Not Allowed" not in r.text
    # The API: the same JSON as before.
    assert client.put("/api/v1/inbox", headers=auth(tok)).json()["error"]["code"] == "method_not_allowed"


def test_a_refusal_says_in_words_what_the_reader_may_not_do(client, tok):
    zh = client.get("/audit", headers=auth(tok) | ZH)
    assert zh.status_code == 403 and "<h1>无权访问</h1>" in zh.text
    assert "审计日志" in zh.text and "请联系本辖区的管理员" in zh.text
    en = client.get("/audit", headers=auth(tok) | EN)
    assert "<h1>Not allowed</h1>" in en.text and "read the audit log" in en.text


def test_a_server_error_is_a_translated_page_with_the_security_headers(fresh_app):
    def broken():
        raise RuntimeError("a bug")

    fresh_app.add_api_route("/broken", broken, dependencies=[Depends(public)])
    fresh_app.add_api_route("/api/v1/broken", broken, dependencies=[Depends(public)])
    with TestClient(fresh_app, raise_server_exceptions=False) as c:
        zh = c.get("/broken", headers=ZH)
        assert zh.status_code == 500 and "<h1>出错了</h1>" in zh.text and "a bug" not in zh.text
        assert "default-src 'none'" in zh.headers["content-security-policy"]
        assert zh.headers["cache-control"] == "no-store"
        en = c.get("/broken", headers=EN)
        assert "<h1>Something went wrong</h1>" in en.text and "Nothing you sent was saved" in en.text
        api = c.get("/api/v1/broken")
        assert api.status_code == 500 and api.json()["error"]["code"] == "internal_error"
