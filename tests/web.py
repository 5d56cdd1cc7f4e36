"""What the web app's tests share."""

from __future__ import annotations

from typing import cast

from fastapi import FastAPI
from starlette.datastructures import State
from starlette.testclient import TestClient


def state(client: TestClient) -> State:
    """The app's state (its services) behind a test client, typed: `TestClient.app` is any ASGI app."""
    return cast(FastAPI, client.app).state
