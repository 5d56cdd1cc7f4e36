"""The action server, as `python -m actions.server`: rasa-sdk's app, answering Rasa only.

rasa-sdk's own command listens on every interface with no authentication, so anyone who
could reach it could run `action_stop_reminders` or `action_save_feedback` for any
conversation. Here it listens on the settings' address (127.0.0.1 unless a cluster says
otherwise) and every call but /health must carry the token Rasa sends (endpoints.yml).
"""

from __future__ import annotations

import logging
import secrets

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from lifecycle.settings import Settings, load_settings
from lifecycle.understanding.language import warm_up

logger = logging.getLogger(__name__)


def build(settings: Settings) -> Sanic:
    warm_up()  # lingua's models take 1.5 s to load: before the first shopper, not during their turn
    app = create_app("actions", cors_origins=None)
    expected = settings.action_token.encode()

    @app.on_request
    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path == "/health":
            return None
        given = (request.args.get("token") or "").encode()
        if not secrets.compare_digest(given, expected):
            return response.json({"error": "missing or wrong token: only Rasa calls the action server"}, status=401)
        return None

    return app


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    settings = load_settings()
    app = build(settings)
    logger.info("action server on %s:%s", settings.actions_host, settings.ports.actions)
    app.run(settings.actions_host, settings.ports.actions, workers=1, access_log=False)


if __name__ == "__main__":
    main()
