"""linli.kit.files: the content-addressed store every upload of the domains goes through."""

from __future__ import annotations

import io
import os

import pytest

from linli.kit import files


class TooLarge(Exception):
    pass


def test_kinds_are_recognised_by_their_first_bytes_among_those_wanted():
    pdf, png = io.BytesIO(b"%PDF-1.7\n..."), io.BytesIO(b"\x89PNG\r\n\x1a\n....")
    assert files.sniff(pdf, (files.PDF, files.JPEG)) == files.PDF
    assert files.sniff(png, (files.JPEG, files.PNG)) == files.PNG
    assert files.sniff(png, (files.PDF, files.JPEG)) is None  # a kind the caller does not take
    assert files.sniff(io.BytesIO(b"GIF89a"), (files.PDF, files.JPEG, files.PNG)) is None
    assert pdf.tell() == 0  # read from the start again by whoever stores it


def test_names_lose_folders_and_control_characters_and_keep_their_end():
    assert files.clean_name("C:\\Users\\张三\\协议.pdf") == "协议.pdf"
    assert files.clean_name("../../etc/\x00passwd") == "passwd"
    assert files.clean_name(" ..\x07 ") == ""
    assert files.clean_name(None) == ""
    long = "名" * 300 + ".pdf"
    assert files.clean_name(long) == long[-200:]


def test_the_same_content_is_stored_once_under_its_hash(tmp_path):
    sha, size = files.store(io.BytesIO(b"%PDF-1 a"), tmp_path / "f", 100, TooLarge)
    again, _ = files.store(io.BytesIO(b"%PDF-1 a"), tmp_path / "f", 100, TooLarge)
    assert sha == again and size == 8
    assert files.path_in(tmp_path / "f", sha).read_bytes() == b"%PDF-1 a"
    assert files.path_in(tmp_path / "f", sha).parent.name == sha[:2]


def test_a_file_past_the_bound_is_refused_and_nothing_is_left(tmp_path):
    folder = tmp_path / "f"
    with pytest.raises(TooLarge):
        files.store(io.BytesIO(b"x" * (files.CHUNK + 10)), folder, files.CHUNK, TooLarge)
    assert [p for p in folder.rglob("*") if p.is_file()] == []
    sha, size = files.store(io.BytesIO(b"x" * files.CHUNK), folder, files.CHUNK, TooLarge)  # exactly the bound
    assert size == files.CHUNK and os.path.exists(files.path_in(folder, sha))
