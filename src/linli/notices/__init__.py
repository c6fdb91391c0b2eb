"""Notices (通知公告): officials publish a notice to an area subtree and an audience, with attachments."""
