"""Sending queued mail through SMTP (aiosmtplib), for the web app's timer (lifecycle.mail.queue).

STARTTLS and login when the settings say so. A 5xx refusal of the recipient is a hard bounce
(`permanent`); any other refusal (a 4xx, a wrong login, a refused sender) or a dropped connection is
tried again later by the queue, and the address is kept.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import EmailMessage

import aiosmtplib

from lifecycle.mail.queue import SendFailed

TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    starttls: bool = False  # upgrade the connection (port 587); required whenever a password is sent

    def send(self, message: EmailMessage) -> None:
        """Blocking. The conversation with the server runs on an event loop of its own in a thread of
        its own, so a caller whose thread already runs a loop (asyncio cannot nest) sends all the same."""
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(self._send_on_own_loop, message).result()

    def _send_on_own_loop(self, message: EmailMessage) -> None:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self._send(message))
        finally:
            loop.close()

    async def _send(self, message: EmailMessage) -> None:
        try:
            await aiosmtplib.send(message, hostname=self.host, port=self.port, username=self.username,
                                  password=self.password, start_tls=self.starttls, timeout=TIMEOUT_SECONDS)
        except aiosmtplib.SMTPRecipientsRefused as error:  # the address itself: a 5xx is a hard bounce
            codes = [refusal.code for refusal in error.recipients]
            raise SendFailed(f"recipient refused: {codes}", permanent=all(code >= 500 for code in codes)) from None
        except aiosmtplib.SMTPRecipientRefused as error:
            raise SendFailed(f"recipient refused: {error.code}", permanent=error.code >= 500) from None
        except aiosmtplib.SMTPResponseException as error:  # login, sender, content: not the shopper's address
            raise SendFailed(f"SMTP {error.code}: {error.message}"[:300], permanent=False) from None
        except (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError) as error:
            raise ConnectionError(str(error)) from None
