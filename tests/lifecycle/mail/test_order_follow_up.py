"""The order follow-up by e-mail: decided by the playbook rules for mailable customers, with the NPS
question once per order, one link per score."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml
from sqlalchemy import select

from lifecycle.commerce.events import parse_events
from lifecycle.commerce.service import Commerce
from lifecycle.mail.links import MailLinks
from lifecycle.mail.queue import MailQueue
from lifecycle.mail.service import Mailings
from lifecycle.settings import LOCALES_DIR
from lifecycle.shop.loader import load_shop
from lifecycle.shop.speech import Catalogs
from lifecycle.storage.database import Database
from lifecycle.storage.models import MailMessage, PlaybookSend

T0 = datetime(2026, 6, 1, 10, 0, tzinfo=timezone.utc)


def by_email(shop_dir: Path) -> None:
    path = shop_dir / "playbooks.yml"
    book = yaml.safe_load(path.read_text(encoding="utf-8"))
    for playbook in book["playbooks"]:
        if playbook["message"] == "order_follow_up":
            playbook["channel"] = "email"
    path.write_text(yaml.safe_dump(book, sort_keys=False), encoding="utf-8")


def test_a_delivered_order_of_a_mailable_customer_gets_one_follow_up_with_the_nps_links(
        database: Database, shop_dir: Path) -> None:
    by_email(shop_dir)
    shop = load_shop(shop_dir)
    events = []
    for visitor, email in (("ola", "ola@example.com"), ("per", None)):
        events += [{"type": "order_placed", "event_id": f"o-{visitor}", "visitor_id": visitor,
                    "order_id": f"F-{visitor}", "items": [{"sku": "CAM-200", "qty": 1}], "total_eur": "129.00",
                    "ts": T0.isoformat(), **({"email": email, "marketing_consent": True} if email else {})},
                   {"type": "order_delivered", "event_id": f"d-{visitor}", "visitor_id": visitor,
                    "order_id": f"F-{visitor}", "ts": (T0 + timedelta(days=2)).isoformat()}]
    Commerce(database).apply(parse_events(events), shop)
    mailings = Mailings(database, MailQueue(database, "DeskWorks <hello@deskworks.example>", "deskworks.example"),
                        MailLinks("m" * 32), Catalogs(LOCALES_DIR), "https://shop.example")
    assert mailings.playbook_mails(shop, T0 + timedelta(days=2, hours=1)) == 0  # min_days: 1 after delivery
    assert mailings.playbook_mails(shop, T0 + timedelta(days=3, hours=1)) == 1  # "per" never agreed to e-mail
    assert mailings.playbook_mails(shop, T0 + timedelta(days=4)) == 0  # capped: once
    with database.reading() as session:
        (mail,) = session.execute(select(MailMessage)).scalars()
        channels = session.execute(select(PlaybookSend.channel).where(PlaybookSend.playbook == "order_follow_up")
                                   ).scalars().all()
    assert mail.to_address == "ola@example.com" and mail.subject == "How is your order from DeskWorks?"
    assert "How are you getting on with Lumo Pro 4K Webcam?" in mail.text_body
    links = re.findall(r"https://shop\.example/mail/nps/(\S+)\?score=(\d+)", mail.text_body)
    assert [int(score) for _, score in links] == list(range(11)) and len({token for token, _ in links}) == 1
    visitor, _, answered = mailings.nps_order(links[0][0])
    assert visitor == "ola" and not answered
    assert channels == ["email"]


def test_the_welcome_back_offer_and_the_review_request_go_by_email_with_the_chats_words(
        database: Database, shop_dir: Path) -> None:
    from lifecycle.mail import consent
    from lifecycle.people.feedback import FeedbackStore
    from lifecycle.storage.models import Customer
    from tests.conftest import VOC_DIR

    path = shop_dir / "playbooks.yml"
    book = yaml.safe_load(path.read_text(encoding="utf-8"))
    for playbook in book["playbooks"]:
        if playbook["message"] in ("welcome_offer", "review_request"):
            playbook["channel"] = "email"
    path.write_text(yaml.safe_dump(book, sort_keys=False), encoding="utf-8")
    shop = load_shop(shop_dir)
    Commerce(database).apply(parse_events([
        {"type": "order_placed", "event_id": "o-rae", "visitor_id": "rae", "order_id": "R-1",
         "items": [{"sku": "LT-100", "qty": 1}], "total_eur": "59.00", "ts": T0.isoformat()}]), shop)
    FeedbackStore(database, VOC_DIR).rating("", "rae", "nps", 10, T0 + timedelta(days=1))  # a promoter
    with database.session() as session:
        quiet = Customer(visitor_id="quinn", stage="retention", stage_since=T0, created_at=T0, last_seen_at=T0,
                         reengage_flagged_at=T0 + timedelta(days=1), language="it")
        session.add(quiet)
        session.flush()
        rae = session.execute(select(Customer).where(Customer.visitor_id == "rae")).scalar_one()
        consent.record(session, quiet.id, "quinn@example.com", "newsletter_signup", T0)
        consent.record(session, rae.id, "rae@example.com", "newsletter_signup", T0)
    mailings = Mailings(database, MailQueue(database, "DeskWorks <hello@deskworks.example>", "deskworks.example"),
                        MailLinks("m" * 32), Catalogs(LOCALES_DIR), "https://shop.example")
    assert mailings.playbook_mails(shop, T0 + timedelta(days=2)) == 2
    assert mailings.playbook_mails(shop, T0 + timedelta(days=3)) == 0  # each capped
    with database.reading() as session:
        mails = {m.to_address: m for m in session.execute(select(MailMessage)).scalars()}
    welcome, review = mails["quinn@example.com"], mails["rae@example.com"]
    assert welcome.language == "it" and welcome.subject == "Bentornato da DeskWorks"
    assert "WELCOMEBACK10" in welcome.text_body and "10%" in welcome.text_body
    assert review.subject == "Would you review your Glow Key Light?"
    assert "Would you write a review of your Glow Key Light?" in review.text_body
    assert review.unsubscribe_url and "/mail/unsubscribe/" in review.unsubscribe_url
