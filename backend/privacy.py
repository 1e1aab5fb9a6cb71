"""Masking what identifies a person in free text, for every public view.

Open311 publishes descriptions through it, and the public status view the
officers' public notes: an officer may quote a phone number in a note.
"""

import re

MASK = "[disamarkan]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w+])\(?(?:\+62|62|0)[\s.-]?\(?\d{2,4}\)?(?:[\s.-]?\d){6,10}(?!\d)")
_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")


def mask_personal(text: str) -> str:
    """Mask what identifies a person in free text: e-mail, phone numbers, NIK."""
    return _PHONE.sub(MASK, _NIK.sub(MASK, _EMAIL.sub(MASK, text)))
