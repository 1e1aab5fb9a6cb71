"""Ticket parsing, category words, sender ids and store URLs."""

from __future__ import annotations

import pytest

from actions.categories import LABELS, PHOTO_REQUIRED, to_code
from actions.sender import split_sender
from actions.tickets import find_tickets, normalise_ticket


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("JKT-7K3M-Q9XA", "JKT-7K3M-Q9XA"),
        ("jkt7k3mq9xa", "JKT-7K3M-Q9XA"),
        ("JKT 7K3M Q9XA", "JKT-7K3M-Q9XA"),
        ("JKT--7K3M-Q9XA", "JKT-7K3M-Q9XA"),
        ("jkt-0il1-2345", "JKT-0111-2345"),
        ("JKT-7K3M-Q9XO", "JKT-7K3M-Q9X0"),
        ("JKT-123", None),
        ("JKT-7K3M-Q9XU", None),
    ],
)
def test_ticket_numbers_are_normalised_as_the_contract_says(typed, expected):
    assert normalise_ticket(typed) == expected


def test_tickets_are_found_inside_a_sentence():
    assert [raw for _, _, raw in find_tickets("laporan jkt 7k3m q9xa sudah?")] == ["jkt 7k3m q9xa"]
    assert find_tickets("kategori lain-lain aja") == []


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("got mampet", "saluran_air"),
        ("PJU", "penerangan_jalan"),
        ("Jalan & Trotoar Rusak", "jalan_rusak"),
        ("yg soal jukir liar itu", "parkir_liar"),
        ("kependudukn", "kependudukan"),
        ("lainnya", "lainnya"),
        ("pisang goreng", None),
    ],
)
def test_everyday_words_map_to_category_codes(word, code):
    assert to_code(word) == code


def test_every_contract_category_is_known():
    assert len(LABELS) == 19
    assert PHOTO_REQUIRED <= set(LABELS)


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        ("telegram:123", ("telegram", "123")),
        ("whatsapp:6281234567890", ("whatsapp", "6281234567890")),
        ("web:4f1c-aa", ("web", "4f1c-aa")),
        ("default", ("web", "default")),
    ],
)
def test_sender_ids_split_into_channel_and_chat(sender, expected):
    assert split_sender(sender) == expected


def test_the_word_after_a_ticket_without_its_second_dash_stays_a_word() -> None:
    for text in ("jkt7k3mq9xa udah?", "JKT-7K3MQ9XA soal got", "jkt-7k3mq9xa dong"):
        assert [normalise_ticket(raw) for _, _, raw in find_tickets(text)] == ["JKT-7K3M-Q9XA"]


def test_tickets_typed_with_dots_slashes_or_underscores_are_read() -> None:
    for text in ("jkt.7k3m.q9xa", "JKT_7K3M_Q9XA", "jkt/7k3m/q9xa", "JKT: 7K3M - Q9XA"):
        assert [normalise_ticket(raw) for _, _, raw in find_tickets(text)] == ["JKT-7K3M-Q9XA"]


def test_a_ticket_split_once_anywhere_is_read_but_not_two_words() -> None:
    for text in ("jkt 7k3mq 9xa", "JKT-7K3 MQ9XA", "jkt 7 k3mq9xa"):
        assert [normalise_ticket(raw) for _, _, raw in find_tickets(text)] == ["JKT-7K3M-Q9XA"]
    assert [normalise_ticket(raw) for _, _, raw in find_tickets("JKT-12 gmn sih")] == [None]


def test_a_ticket_spelled_out_character_by_character_is_read() -> None:
    for text in ("cek jkt 7 k 3 m q 9 x a dong", "jkt-7k-3m-q9-xa gmn", "JKT 7K 3M Q9 XA"):
        assert [normalise_ticket(raw) for _, _, raw in find_tickets(text)] == ["JKT-7K3M-Q9XA"]
    # A whole ticket still ends where it ends.
    assert [raw for _, _, raw in find_tickets("JKT-7K3M-Q9XA 2 hari")] == ["JKT-7K3M-Q9XA"]
