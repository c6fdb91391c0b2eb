"""Grid events: report, register, dispatch, handle, verify, close — with deadlines, escalation and Open311."""
