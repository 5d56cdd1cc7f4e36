"""A local SMTP server that keeps the mail it gets (aiosmtpd), so `make run` shows what shoppers
would receive without sending anything out. It listens on 127.0.0.1 only and writes each message
to a folder as an .eml file (owner-only). The tests use the same server as the far end of SMTP.
"""

from __future__ import annotations

import os
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class _Keeper:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,  # noqa: N802
                          options: list[str]) -> str:
        if address.lower() in self.mailbox.refused:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        self.mailbox.keep(envelope.content if isinstance(envelope.content, bytes) else b"")
        return "250 Message accepted"


class Mailbox:
    """The server; `messages` holds what arrived, `refused` the addresses it answers 550 for."""

    def __init__(self, port: int, folder: Path | None = None, host: str = "127.0.0.1") -> None:
        self.host, self.port, self.folder = host, port, folder
        self.messages: list[EmailMessage] = []
        self.refused: set[str] = set()
        self._lock = threading.Lock()
        self._controller: Controller | None = None
        # Numbered on from what the folder already holds: a restarted `make run` never overwrites kept mail.
        self._kept = max((int(path.stem) for path in folder.glob("*.eml") if path.stem.isdigit()), default=0) \
            if folder is not None and folder.is_dir() else 0

    def keep(self, raw: bytes) -> None:
        message: Any = message_from_bytes(raw, policy=policy.default)
        with self._lock:
            self.messages.append(message)
            self._kept += 1
            count = self._kept
        if self.folder is not None:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            path = self.folder / f"{count:06d}.eml"
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(raw)

    def start(self) -> Mailbox:
        self._controller = Controller(_Keeper(self), hostname=self.host, port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
