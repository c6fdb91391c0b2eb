"""Writes of the organizations domain, in parts by subject (import it as `from linli.organizations import
service`): the registry and its contacts, alliances and members, the three lists, dual reporting,
pairings, an alliance's records and units' evaluations (`records`).
The rule of who may act for an organization is in `service.common`."""

from linli.organizations.service import alliances, lists, pairings, records, registry, reporting
from linli.organizations.service.common import may_act_for

__all__ = ["alliances", "lists", "may_act_for", "pairings", "records", "registry", "reporting"]
