"""Masking of ID and phone numbers, at every length, and opening sealed ones masked or in clear: each
property a mutation of the masking functions would break (tools/mutation.sh)."""

from __future__ import annotations

import pytest

from linli.kit.phone import mask_phone
from linli.residents import pii
from linli.residents.idcard import mask_id

GOOD = "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        (GOOD, "110105********002X"),  # the region and the last four stay, the birth date goes
        ("22010219900228011", "220102*******8011"),  # 17: one star fewer
        ("12345678901", "123456*8901"),  # 11: the shortest kept in part
        ("1234567890", "**********"),  # 10 or fewer: nothing shown
        ("12345", "*****"),
        ("", ""),
    ],
)
def test_mask_id(value, masked):
    assert mask_id(value) == masked
    assert len(mask_id(value)) == len(value)


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),  # a mobile: the network prefix and the last four
        ("04318888666", "0431***8666"),  # 11 digits not starting with 1: a landline
        ("043188886666", "0431****6666"),
        ("1381234567", "1381**4567"),  # 10 digits starting with 1: not a mobile
        ("138123456789", "1381****6789"),  # 12 digits starting with 1: not a mobile
        ("12345678", "12345678"),  # 8: nothing left to hide between the two ends
        ("1234567", "*******"),  # 7 or fewer: nothing shown
        ("", ""),
    ],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked
    assert len(mask_phone(value)) == len(value)


def test_opening_a_sealed_id_number_masks_it_unless_revealed():
    enc, _ = pii.seal_id(GOOD)
    assert GOOD not in enc
    assert pii.open_id(enc, reveal=False) == "110105********002X"
    assert pii.open_id(enc, reveal=True) == GOOD


def test_opening_a_sealed_phone_masks_it_unless_revealed():
    enc, _ = pii.seal_phone("13812345678")
    assert pii.open_phone(enc, reveal=False) == "138****5678"
    assert pii.open_phone(enc, reveal=True) == "13812345678"
    assert pii.open_phone(None, reveal=True) is None
    assert pii.open_phone(None, reveal=False) is None


def test_an_id_sealed_as_a_phone_does_not_open_as_an_id():
    # Each column has its own key context: a ciphertext moved to another column does not open.
    enc, _ = pii.seal_phone("13812345678")
    with pytest.raises(Exception):  # noqa: B017 - whichever error the cipher raises
        pii.open_id(enc, reveal=True)
    enc, _ = pii.seal_id(GOOD)
    with pytest.raises(Exception):  # noqa: B017
        pii.open_phone(enc, reveal=True)
