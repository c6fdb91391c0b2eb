"""Writes of the social work domain, in parts (import it as `from linli.socialwork import service`):
stations, their staff and services; service records and cases, which only staff write. The rule of
who counts as staff of a station is in `service.common`."""

from linli.socialwork.service import cases, records, stations
from linli.socialwork.service.common import staff_acting, staff_chain

__all__ = ["cases", "records", "staff_acting", "staff_chain", "stations"]
