"""A request's writes are committed before its response reaches the browser.

A browser follows a redirect at once: when the commit of the sign-in (or of a new grid) runs after the
response is sent, the next page reads the database before the commit and the user is sent back to
the sign-in form (or gets "not found" for the grid just created). Here every commit is made slow, so
the ordering shows on every run instead of now and then.
"""

from __future__ import annotations

import threading
import time

from tests.browser.conftest import _free_port
from tests.browser.helpers import login

SLOW_COMMIT_SECONDS = 0.4


def test_sign_in_is_committed_before_the_redirect(new_context, live_server):
    import uvicorn
    from sqlalchemy.orm import Session, sessionmaker

    from linli.app import create_app

    class SlowCommitSession(Session):
        def commit(self):
            time.sleep(SLOW_COMMIT_SECONDS)
            super().commit()

    base = live_server.session_factory
    slow = sessionmaker(bind=base.kw["bind"], class_=SlowCommitSession, expire_on_commit=False)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(session_factory=slow), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            assert thread.is_alive()
            time.sleep(0.05)
        page = new_context(base_url=f"http://127.0.0.1:{port}").new_page()
        login(page, live_server, "community")
        # The community worker's start page is their workbench, which only a signed-in session shows.
        assert page.url.endswith(f"127.0.0.1:{port}/") and page.locator("#todo-h").count() == 1, (
            f"after signing in the browser is at {page.url}: the session was committed after the redirect "
            "was sent (a dependency with yield exits after the response in FastAPI >= 0.118)"
        )
    finally:
        server.should_exit = True
        thread.join(timeout=10)
