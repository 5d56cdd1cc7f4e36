"""The web app on port 8000: the demo shop page with the chat widget, and health.

Later issues add the shop events API, metrics and the consoles here; the app is made
by `create_app` so tests build it with their own settings.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from lifecycle.settings import Settings, load_settings
from lifecycle.shop import ShopSource

HERE = Path(__file__).resolve().parent
SOCKET_IO_CLIENT = HERE / "widget" / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    shop_source = ShopSource(settings.shop_dir)
    rasa_url = os.environ.get("SHOPMATE_RASA_URL", "http://localhost:5005")
    templates = Jinja2Templates(directory=str(HERE / "templates"))  # autoescapes every value
    app = FastAPI(title="Shopmate", docs_url="/docs")
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.get("/health")
    def health() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @app.get("/vendor/socket.io.min.js")
    def socket_io_client() -> FileResponse:
        if not SOCKET_IO_CLIENT.exists():
            raise HTTPException(503, "socket.io-client is missing: run `make run` (it runs npm ci in bot/widget)")
        return FileResponse(SOCKET_IO_CLIENT, media_type="application/javascript")

    @app.get("/", response_class=HTMLResponse)
    def shop_page(request: Request) -> HTMLResponse:
        shop = shop_source.get()
        return templates.TemplateResponse(
            request, "shop.html", {"shop": shop, "rasa_url": rasa_url})

    return app
