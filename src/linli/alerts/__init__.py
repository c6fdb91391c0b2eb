"""Warnings (预警信号): issued, updated, raised or lowered and lifted as CAP 1.2 messages."""
