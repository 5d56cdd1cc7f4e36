"""The schema's history: head equals the models, and upgrades keep the rows a shop already has."""

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from lifecycle.storage import search
from lifecycle.storage.database import Database, alembic_config, migrate
from lifecycle.storage.models import (
    Base,
    Cart,
    CartRecovery,
    Comparison,
    ConversationTag,
    Feedback,
    Interaction,
    Order,
    ShopEvent,
)


def test_migrations_create_exactly_the_models_schema(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "include_name": lambda name, kind, _parent: not search.outside_the_models(name, kind)})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def _upgrade_to(database: Database, revision: str, *statements: str) -> None:
    config = alembic_config(database.engine.url.render_as_string(hide_password=False))
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        for statement in statements:
            connection.exec_driver_sql(statement)


def test_upgrading_a_first_store_keeps_its_customers(tmp_path: Path) -> None:
    database = Database.from_url(f"sqlite:///{tmp_path / 'old.db'}")
    _upgrade_to(database, "0001",
                "INSERT INTO customers (visitor_id, stage, stage_since, created_at, last_seen_at) "
                "VALUES ('early-bird', 'engagement', '2026-01-01', '2026-01-01', '2026-01-01')")
    migrate(database.engine)
    with database.engine.connect() as connection:
        row = connection.exec_driver_sql("SELECT visitor_id, stage, reminders_opt_out FROM customers").one()
    assert tuple(row) == ("early-bird", "engagement", 0)
    database.dispose()


T = "'2026-11-01 10:00:00'"


def test_json_text_and_comma_lists_become_json_columns_and_link_rows(tmp_path: Path) -> None:
    """A store written by revision 0003 (JSON as text, comma-separated lists) upgraded to head."""
    database = Database.from_url(f"sqlite:///{tmp_path / 'v3.db'}")
    _upgrade_to(
        database, "0003",
        f"INSERT INTO customers (id, visitor_id, stage, stage_since, created_at, last_seen_at, reminders_opt_out) "
        f"VALUES (1, 'v1', 'engagement', {T}, {T}, {T}, 0)",
        f"INSERT INTO conversations (id, sender_id, customer_id, started_at, last_event_at) "
        f"VALUES (1, 's1', 1, {T}, {T})",
        f"INSERT INTO interactions (conversation_id, kind, text, payload, at) VALUES "
        f"(1, 'bot', 'Side by side', '{{\"custom\": {{\"data\": {{\"type\": \"comparison\"}}}}}}', {T}), "
        f"(1, 'user', 'hi', NULL, {T})",
        f"INSERT INTO comparisons (conversation_id, skus, at) VALUES (1, 'CAM-100,CAM-200', {T})",
        f"INSERT INTO carts (id, customer_id, status, items, total_cents, created_at, updated_at) VALUES "
        f"(1, 1, 'ordered', '[{{\"sku\": \"CAM-200\", \"qty\": 1, \"price_cents\": 12900}}]', 12900, {T}, {T})",
        f"INSERT INTO orders (order_ref, customer_id, cart_id, items, total_cents, placed_at) VALUES "
        f"('A-1', 1, 1, '[{{\"sku\": \"CAM-200\", \"qty\": 1, \"price_cents\": 12900}}]', 12900, {T})",
        f"INSERT INTO shop_events (event_id, type, customer_id, ts, payload) VALUES "
        f"('e1', 'product_view', 1, {T}, '{{\"sku\": \"CAM-200\"}}')",
        f"INSERT INTO feedback (id, customer_id, conversation_id, kind, text, themes, stage, created_at) VALUES "
        f"(1, 1, 1, 'text', 'slow delivery, pricey', 'shipping,price', 'engagement', {T})",
        "INSERT INTO conversation_reviews (conversation_id, reviewed, tags) VALUES (1, 1, 'stock,VIP')",
        f"INSERT INTO cart_recoveries (cart_id, customer_id, status, attempts, created_at) "
        f"VALUES (1, 1, 'sent', 1, {T})",
    )
    migrate(database.engine)
    with database.session() as session:
        bot, user = session.execute(select(Interaction).order_by(Interaction.id)).scalars()
        assert bot.payload == {"custom": {"data": {"type": "comparison"}}} and user.payload is None
        assert session.execute(select(Comparison)).scalar_one().skus == ["CAM-100", "CAM-200"]
        assert session.execute(select(Cart.items)).scalar_one() == [{"sku": "CAM-200", "qty": 1, "price_cents": 12900}]
        assert session.execute(select(Order.items)).scalar_one()[0]["sku"] == "CAM-200"
        assert session.execute(select(ShopEvent.payload)).scalar_one() == {"sku": "CAM-200"}
        assert session.execute(select(Feedback)).scalar_one().themes == ["shipping", "price"]
        assert sorted(session.execute(select(ConversationTag.tag)).scalars()) == ["stock", "vip"]
        # rebuilding carts for its JSON column must not cascade-delete the cart's reminder
        assert session.execute(select(CartRecovery.status)).scalar_one() == "sent"
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "include_name": lambda name, kind, _parent: not search.outside_the_models(name, kind)})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
    database.dispose()
