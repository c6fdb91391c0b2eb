"""/docs: the vendored Swagger UI 5 reads the OpenAPI 3.1 document, lists the operations and runs a
request, all under the app's Content-Security-Policy without a violation."""

from __future__ import annotations

from tests.browser.helpers import csp_violations, watch_csp


def test_api_docs_lists_the_operations_under_the_csp(new_context, live_server):
    ctx = new_context(locale="en-US")
    watch_csp(ctx)
    page = ctx.new_page()
    page.goto("/docs")
    # Swagger UI parses the whole document (some 300 operations) before it draws the first one: on a
    # loaded 2-core machine that took longer than the pages' default wait of 15 s.
    page.wait_for_selector(".opblock .opblock-summary-path", timeout=60_000)
    assert "OAS 3.1" in page.locator(".info").inner_text()
    # The page draws only the operations near the screen (Swagger UI 5 virtualizes the list); all of
    # them were read from the document.
    spec = page.request.get("/openapi.json").json()
    # (listed once under each of its tags; untagged ones under "default")
    documented = sum(
        max(1, len(operation.get("tags", []))) for ops in spec["paths"].values() for operation in ops.values()
    )
    read = page.evaluate(
        "() => window.ui.specSelectors.taggedOperations().reduce((n, tag) => n + tag.get('operations').size, 0)"
    )
    assert read == documented
    assert page.locator(".opblock").count() >= 5

    # "Try it out" runs the request (connect-src 'self'); without a session the API answers 401.
    op = page.locator(".opblock-get:has(.opblock-summary-path[data-path='/api/v1/events'])").first
    op.locator(".opblock-summary-control").click()
    op.locator(".try-out__btn").click()
    op.locator(".execute").click()
    status = op.locator(".live-responses-table .response .response-col_status").first
    assert status.inner_text().split()[0] == "401"

    assert csp_violations(page) == []
