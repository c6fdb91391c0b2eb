"""The words of the disclosure boards: kinds of items, flags, and how an asker is shown to the public."""

from __future__ import annotations

from linli.kit.i18n import N_, gettext

KIND_LABELS = {
    "resolution": N_("Resolution of the meeting"),
    "implementation": N_("Implementation result"),
    "finances": N_("Collective finances"),
    "relief_funds": N_("Relief and subsidy funds"),
    "other": N_("Other statutory item"),
}


def kind_label(kind: str) -> str:
    return gettext(KIND_LABELS.get(kind, kind))


def mask_name(name: str) -> str:
    """A person's name as the public board shows it: the first character, the rest hidden (张** )."""
    name = (name or "").strip()
    if not name:
        return gettext("A resident")
    return name[0] + "*" * max(1, len(name) - 1)
