"""Shopmate's processes, one sub-package each: what Rasa loads (rasa/), the web app (web/), the runner (runner/)."""
