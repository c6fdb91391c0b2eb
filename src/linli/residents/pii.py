"""Personal data of persons: sealing (encrypt + blind index), opening, and masking for output."""

from __future__ import annotations

from linli.kit import crypto
from linli.kit.phone import mask_phone, normalize_phone
from linli.residents.idcard import mask_id, normalize_id
from linli.residents.models import ID_CONTEXT, PHONE_CONTEXT


def seal_id(value: str, ring: crypto.Keyring | None = None) -> tuple[str, str]:
    """(ciphertext, blind index) of a validated, normalised ID number."""
    ring = ring or crypto.keyring()
    return ring.encrypt(value, ID_CONTEXT), ring.blind_index(value, ID_CONTEXT)


def seal_phone(value: str, ring: crypto.Keyring | None = None) -> tuple[str, str]:
    ring = ring or crypto.keyring()
    return ring.encrypt(value, PHONE_CONTEXT), ring.blind_index(value, PHONE_CONTEXT)


def id_index(raw: str) -> str:
    """Blind index of an ID number as typed (for exact search)."""
    return crypto.keyring().blind_index(normalize_id(raw), ID_CONTEXT)


def phone_index(raw: str) -> str:
    return crypto.keyring().blind_index(normalize_phone(raw), PHONE_CONTEXT)


def open_id(enc: str, *, reveal: bool) -> str:
    value = crypto.keyring().decrypt(enc, ID_CONTEXT)
    return value if reveal else mask_id(value)


def open_phone(enc: str | None, *, reveal: bool) -> str | None:
    if enc is None:
        return None
    value = crypto.keyring().decrypt(enc, PHONE_CONTEXT)
    return value if reveal else mask_phone(value)
