"""The MIME message for a queued mail: plain text and HTML, and the headers a shop's own mail has.

`List-Unsubscribe` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058) lets the
mail program unsubscribe with one POST, no page to visit; Message-ID is the queue's own id, the
same on every attempt, so a receiver can tell a retry from a new mail.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime

from lifecycle.storage.models import MailMessage


def mime(mail: MailMessage, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.created_at)
    message["Message-ID"] = mail.message_id
    message["Content-Language"] = mail.language
    if mail.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(mail.text_body)
    message.add_alternative(mail.html_body, subtype="html")
    return message
