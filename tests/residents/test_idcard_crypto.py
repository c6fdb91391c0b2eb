"""ID and phone numbers (validation, masking) and the field encryption with its blind index."""

from __future__ import annotations

import base64
import os
import stat
from datetime import date

import pytest

from linli.config import Settings
from linli.kit import crypto
from linli.kit.phone import InvalidPhone, mask_phone, parse_phone
from linli.residents.idcard import InvalidIdNumber, check_digit, make_id, mask_id, parse_id

GOOD = "11010519491231002X"  # the example of GB 11643


def test_valid_id_numbers_give_birth_date_and_gender():
    p = parse_id(GOOD.lower())
    assert p.value == GOOD and p.birth_date == date(1949, 12, 31) and p.gender == "female" and p.region == "110105"
    made = make_id("220102", date(1990, 2, 28), 11)
    assert parse_id(made).gender == "male" and parse_id(made).birth_date == date(1990, 2, 28)
    assert check_digit(GOOD[:17]) == "X"


@pytest.mark.parametrize(
    "raw, words",
    [
        ("11010519491231002", "18 characters"),
        ("1101051949123100A2", "17 digits"),
        ("110105194912310021", "check digit"),
        ("110105194902300028", "not a real date"),
        ("990105194912310029", "region code"),
        (make_id("220102", date(2999, 1, 1), 1)[:18], "impossible"),
        ("", "18 characters"),
    ],
)
def test_invalid_id_numbers_say_what_is_wrong(raw, words):
    with pytest.raises(InvalidIdNumber) as exc:
        parse_id(raw)
    assert words in exc.value.message


def test_phone_numbers():
    assert parse_phone("138 1234 5678") == "13812345678"
    assert parse_phone("+86 138-1234-5678") == "13812345678"
    assert parse_phone("0431-88886666") == "043188886666"
    for bad in ("12812345678", "1381234567", "abc", "138123456789", "12345"):
        with pytest.raises(InvalidPhone):
            parse_phone(bad)


def test_masking():
    assert mask_id(GOOD) == "110105********002X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("043188886666") == "0431****6666"


def _settings(tmp_path, **kw) -> Settings:
    return Settings(data_dir=tmp_path, **kw)


def test_encryption_round_trip_and_column_binding(tmp_path):
    ring = crypto.keyring(_settings(tmp_path))
    token = ring.encrypt(GOOD, "persons.id_number")
    assert token.startswith(f"v1:{ring.current_id}:") and GOOD not in token
    assert ring.decrypt(token, "persons.id_number") == GOOD
    assert ring.encrypt(GOOD, "persons.id_number") != token  # a fresh nonce each time
    with pytest.raises(crypto.CryptoError, match="another column"):
        ring.decrypt(token, "persons.phone")
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(crypto.CryptoError):
        ring.decrypt(tampered, "persons.id_number")


def test_generated_key_files_are_private_and_stable(tmp_path):
    ring = crypto.keyring(_settings(tmp_path))
    for name in (crypto.KEYS_FILE, crypto.BLIND_INDEX_FILE):
        mode = stat.S_IMODE(os.stat(tmp_path / name).st_mode)
        assert mode == 0o600, name
    crypto._load.cache_clear()
    again = crypto.keyring(_settings(tmp_path))
    assert again.keys == ring.keys and again.blind_key == ring.blind_key


def test_blind_index_is_keyed_and_per_column(tmp_path):
    a = crypto.keyring(_settings(tmp_path / "a"))
    b = crypto.keyring(_settings(tmp_path / "b"))
    assert a.blind_index(GOOD, "persons.id_number") == a.blind_index(GOOD, "persons.id_number")
    assert a.blind_index(GOOD, "persons.id_number") != b.blind_index(GOOD, "persons.id_number")
    assert a.blind_index(GOOD, "persons.id_number") != a.blind_index(GOOD, "persons.phone")


def test_keys_from_the_environment(tmp_path):
    k1, k2 = os.urandom(32), os.urandom(32)
    spec = f"new:{base64.b64encode(k2).decode()},old:{base64.b64encode(k1).decode()}"
    old_ring = crypto.keyring(_settings(tmp_path, data_keys=f"old:{base64.b64encode(k1).decode()}"))
    token = old_ring.encrypt("13812345678", "persons.phone")
    ring = crypto.keyring(_settings(tmp_path, data_keys=spec))
    assert ring.current_id == "new" and ring.from_environment
    assert ring.decrypt(token, "persons.phone") == "13812345678"
    assert ring.encrypt("x", "c").startswith("v1:new:")
    with pytest.raises(crypto.CryptoError, match="32 bytes"):
        crypto.keyring(_settings(tmp_path, data_keys="short:" + base64.b64encode(b"abc").decode()))
    with pytest.raises(crypto.CryptoError, match="LINLI_DATA_KEYS"):
        crypto.add_file_key(_settings(tmp_path, data_keys=spec))


def test_rotation_adds_a_current_key_and_keeps_the_old(tmp_path):
    s = _settings(tmp_path)
    old = crypto.keyring(s)
    token = old.encrypt(GOOD, "persons.id_number")
    kid = crypto.add_file_key(s)
    ring = crypto.keyring(s)
    assert ring.current_id == kid and len(ring.keys) == 2
    assert ring.decrypt(token, "persons.id_number") == GOOD
    assert stat.S_IMODE(os.stat(tmp_path / crypto.KEYS_FILE).st_mode) == 0o600
