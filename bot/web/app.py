"""The web app on port 8000: the demo shop page with the chat widget, and health.

Later issues add the shop events API, metrics and the consoles here; the app is made
by `create_app` so tests build it with their own settings.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import yaml
from fastapi import Body, FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from bot.guards import CallThrottle, Guards, HashingSlots, LoginThrottle
from bot.web import api, demo, greeting, identity, mail_pages, scheduler
from bot.web.console import canned as canned_console
from bot.web.console import faq as faq_console
from bot.web.console import insights as insights_console
from bot.web.console import live as live_console
from bot.web.console import mail as mail_console
from bot.web.console import queue as queue_console
from bot.web.console import views as console
from bot.web.console import webhooks as webhooks_console
from bot.web.console.snapshots import Snapshots
from bot.web.labels import widget_labels
from bot.web.mail import SmtpServer
from bot.web.rasa_client import RasaClient
from lifecycle.commerce.orders import OrderDesk
from lifecycle.commerce.service import Commerce
from lifecycle.conversations.recorder import ConversationRecorder
from lifecycle.customers.links import IdentityLinks
from lifecycle.knowledge.edits import FaqEdits
from lifecycle.mail.links import MailLinks
from lifecycle.mail.queue import MailQueue
from lifecycle.mail.service import Mailings
from lifecycle.people.accounts import Accounts
from lifecycle.people.assignment import Assignments
from lifecycle.people.canned import CannedReplies
from lifecycle.people.feedback import FeedbackStore
from lifecycle.people.live import LiveChats
from lifecycle.people.playbooks import Playbooks
from lifecycle.people.privacy import PersonalData
from lifecycle.people.queue import SupportQueue
from lifecycle.people.reporting import Reports
from lifecycle.people.voc import theme_names
from lifecycle.settings import MAX_BODY_BYTES, MAX_CATALOG_BYTES, PROJECT_ROOT, Settings, load_settings
from lifecycle.shop.facts import Product
from lifecycle.shop.language import language_of
from lifecycle.shop.loader import ShopSource
from lifecycle.shop.speech import Catalogs
from lifecycle.storage.database import Database
from lifecycle.storage.rasa_tracker import RasaTrackerRows
from lifecycle.webhooks import Outbox

HERE = Path(__file__).resolve().parent
SOCKET_IO_CLIENT = HERE / "widget" / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"


class NoQueries(logging.Filter):
    """uvicorn's access log without query strings: a URL's query may carry a secret a client put there."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) >= 3 and isinstance(record.args[2], str):
            record.args = (*record.args[:2], record.args[2].split("?", 1)[0], *record.args[3:])
        return True


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    access_log = logging.getLogger("uvicorn.access")
    if not any(isinstance(existing, NoQueries) for existing in access_log.filters):  # once per process
        access_log.addFilter(NoQueries())
    shop_source = ShopSource(settings.shop_dir, settings.catalog)
    database = Database.from_url(settings.database_url)
    templates = Jinja2Templates(directory=str(HERE / "templates"))  # autoescapes every value
    app = FastAPI(title="Shopmate", docs_url="/docs", description="Shop events, metrics and the chat widget.")
    app.state.settings, app.state.shop_source, app.state.database = settings, shop_source, database
    # The services the routes call; none of them hands out a session.
    app.state.commerce, app.state.reports = Commerce(database), Reports(database)
    app.state.links = links = IdentityLinks(settings.secret_key)
    app.state.catalogs = Catalogs(settings.locales_dir)
    app.state.outbox = outbox = Outbox(database, settings.webhook_url, settings.webhook_secret) \
        if settings.webhook_url else None
    app.state.accounts, app.state.recorder = Accounts(database), ConversationRecorder(database, links, outbox)
    app.state.login_throttle, app.state.hashing = LoginThrottle(), HashingSlots()
    # Page loads per minute: an office behind one address browses a lot; one conversation reloads a few times.
    app.state.hello_throttle = CallThrottle(per_address=300, per_user=20, window_seconds=60)
    app.state.live = LiveChats(database)
    app.state.support_queue, app.state.assignments = SupportQueue(database), Assignments(database)
    app.state.canned = CannedReplies(database)
    app.state.insight_snapshots = Snapshots(insights_console.computer(app))
    app.state.playbooks = Playbooks(database)
    app.state.faq_edits = FaqEdits(database)
    app.state.orders = OrderDesk(database, outbox=outbox)
    app.state.feedback = FeedbackStore(database, settings.voc_dir, outbox=outbox)  # analyses what the chat stored
    app.state.mailings = Mailings(database, MailQueue(database, settings.mail.sender, settings.mail.domain),
                                  MailLinks(settings.secret_key), app.state.catalogs, settings.mail.public_url)
    mail = settings.mail
    smtp = SmtpServer(mail.host, mail.port, mail.username or None, mail.password or None, mail.starttls) \
        if mail.enabled else None
    app.state.rasa = RasaClient(settings.rasa_url, token=settings.rasa_token)  # timers and the live chat
    app.state.personal_data = PersonalData(database, RasaTrackerRows.from_url(settings.tracker_url))
    app.add_middleware(Guards, max_body_bytes=MAX_BODY_BYTES, larger={"/api/catalog": MAX_CATALOG_BYTES})
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(identity.router)
    app.include_router(greeting.router)
    app.include_router(api.router)
    app.include_router(console.router)
    app.include_router(queue_console.router)
    app.include_router(live_console.router)
    app.include_router(canned_console.router)
    app.include_router(insights_console.router)
    app.include_router(faq_console.router)
    app.include_router(webhooks_console.router)
    app.include_router(mail_console.router)
    app.include_router(mail_pages.router)
    app.include_router(demo.router)
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    app.state.intents = [i for i in domain.get("intents", []) if not i.startswith("EXTERNAL_")] + ["nlu_fallback"]
    app.state.feedback_themes = theme_names(settings.voc_dir)

    @app.exception_handler(console.LoginRequired)
    def to_login(request: Request, _: console.LoginRequired) -> RedirectResponse:
        return RedirectResponse("/console/login", status_code=303)

    @app.on_event("startup")
    def start_timers() -> None:
        if settings.scheduler:
            app.state.scheduler = scheduler.start(app.state.commerce, shop_source, app.state.rasa,
                                                  settings.recovery_interval_seconds, app.state.personal_data,
                                                  settings.retention_days,
                                                  (app.state.live, app.state.catalogs, settings.claim_minutes),
                                                  app.state.outbox, app.state.orders, app.state.feedback,
                                                  (app.state.mailings, smtp.send) if smtp is not None else None)
            scheduler.keep_fresh(app.state.scheduler, app.state.insight_snapshots)

    @app.on_event("shutdown")
    def stop_timers() -> None:
        if getattr(app.state, "scheduler", None) is not None:
            app.state.scheduler.shutdown(wait=False)
        database.dispose()
        app.state.personal_data.tracker.dispose()

    @app.get("/health")
    def health() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @app.get("/vendor/socket.io.min.js")
    def socket_io_client() -> FileResponse:
        if not SOCKET_IO_CLIENT.exists():
            raise HTTPException(503, "socket.io-client is missing: run `make run` (it runs npm ci in bot/web/widget)")
        return FileResponse(SOCKET_IO_CLIENT, media_type="application/javascript")

    @app.post("/widget/history")
    def history(body: dict[str, Any] = Body(...)) -> JSONResponse:
        """The widget's conversation after a reload: {"conversation": "<secret>"}. Only the browser holding
        the conversation's secret can ask (a visitor id gets nothing); no CORS header, so other sites cannot
        read it. In the body, not the URL: access logs record URLs."""
        messages = app.state.recorder.history(identity.widget_conversation(body.get("conversation")))
        return JSONResponse({"messages": messages}, headers={"Cache-Control": "no-store"})

    @app.get("/widget/labels")
    def labels(lang: str = Query("en", max_length=35)) -> JSONResponse:
        """The widget's labels for the page's language tag ("it-IT"); English for any other."""
        voice = app.state.catalogs.voice(language_of(lang) or "en", shop_source.get().texts)
        return JSONResponse(widget_labels(voice), headers={"Cache-Control": "public, max-age=3600"})

    def storefront(request: Request, product: Product | None) -> HTMLResponse:
        # The demo shop is one page for five markets: ?lang=it shows it as the Italian shop would
        # (its <html lang>, which the widget sends as the page's language).
        lang = language_of(request.query_params.get("lang", "")[:8]) or "en"
        response = templates.TemplateResponse(
            request, "shop.html", {"shop": shop_source.get(), "rasa_url": settings.widget_server, "product": product,
                                    "demo_events": settings.profile != "production", "lang": lang})
        identity.ensure_visitor(request, response)  # the demo shop names its visitors, as a real shop does
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        return response

    @app.get("/", response_class=HTMLResponse)
    def shop_page(request: Request) -> HTMLResponse:
        return storefront(request, None)

    @app.get("/products/{sku}", response_class=HTMLResponse)
    def product_page(request: Request, sku: str) -> HTMLResponse:
        product = shop_source.get().by_sku.get(sku)
        if product is None:
            raise HTTPException(404, "no such product")
        return storefront(request, product)

    return app
