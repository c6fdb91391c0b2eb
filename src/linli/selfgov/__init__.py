"""Residents' self-government: bodies, meetings and votes, matters through 四议两公开 (issue 15)."""
