"""A notice's attachment is uploaded with a progress bar: the form goes by XMLHttpRequest, the bar and
its text appear while the file travels, and the answer takes the page's place as a plain submission's
would (the edit page with the new attachment, or the page with the reason a file was refused)."""

from __future__ import annotations

from tests.browser.helpers import login, settle, visit

VILLAGE = "220102001001"
# Note, in sessionStorage (it outlives the navigation that follows), whether the progress box was shown
# when the form was sent, and that it was sent by XMLHttpRequest at all.
RECORD_SEND = """
(() => {
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (body) {
    const box = document.getElementById("attach-progress");
    if (box) { sessionStorage.setItem("attach-progress-shown", String(!box.hidden)); }
    return send.call(this, body);
  };
})();
"""


def draft_notice(page, title: str) -> str:
    visit(page, f"/areas/{VILLAGE}/notices/new")
    page.fill("#title", title)
    page.fill("#body", "附件上传进度的浏览器测试。")
    with page.expect_navigation():
        page.click("form[action$='/notices/new'] button[type=submit]")
    settle(page)
    assert "/edit" in page.url, page.url
    return page.url.split("?")[0].split("#")[0]


def test_an_attachment_uploads_with_a_progress_bar(page, live_server):
    page.add_init_script(RECORD_SEND)
    login(page, live_server, "community")
    edit_url = draft_notice(page, "带附件的通知")
    pdf = b"%PDF-1.4\n" + b"% padding\n" * 200_000 + b"%%EOF\n"  # about 2 MB
    page.set_input_files("#file", files=[{"name": "活动安排.pdf", "mimeType": "application/pdf", "buffer": pdf}])
    with page.expect_navigation():
        page.click("#attach-form button[type=submit]")
    settle(page)
    assert page.evaluate("() => sessionStorage.getItem('attach-progress-shown')") == "true"
    assert page.url.startswith(edit_url) and "done=attached" in page.url and page.url.endswith("#attachments")
    assert page.locator("p.notice[role=status]").count() == 1
    assert page.locator("#attachments a", has_text="活动安排.pdf").count() == 1


def test_a_refused_file_shows_why_and_attaches_nothing(page, live_server):
    page.add_init_script(RECORD_SEND)
    login(page, live_server, "community")
    draft_notice(page, "附件被拒的通知")
    page.set_input_files("#file", files=[{"name": "说明.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf"}])
    page.click("#attach-form button[type=submit]")
    page.wait_for_selector("#form-errors")  # the refusal replaces the page, as a plain submission's would
    assert page.evaluate("() => sessionStorage.getItem('attach-progress-shown')") == "true"
    assert page.locator("#attachments a[download]").count() == 0
    assert page.locator("#title").input_value() == "附件被拒的通知"
