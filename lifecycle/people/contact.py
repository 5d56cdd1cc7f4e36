"""A shopper's e-mail address left in the chat for a reply, when no agent could take it live.

Found by a loose pattern (anything with an @ between two words), then checked with
email-validator's syntax rules (no DNS lookup: the chat must answer at once and must not
make the server a resolver for arbitrary domains), so "anna@gmail" gets a clear reason
instead of a ticket nobody can answer.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

MAX_LENGTH = 254  # RFC 5321's limit for a forward path


class AddressInvalid(ValueError):
    """The text has an address, but not one a reply can be sent to; the message says why."""


def checked_address(candidate: str) -> str:
    """The address normalised (lower-case domain), or AddressInvalid saying what is wrong."""
    if len(candidate) > MAX_LENGTH:
        raise AddressInvalid(f"an e-mail address has at most {MAX_LENGTH} characters")
    try:
        return str(validate_email(candidate, check_deliverability=False).normalized)
    except EmailNotValidError as error:
        raise AddressInvalid(str(error)) from None
