"""The web app: the shop page, the widget, the shop API, the support and marketing console, the timers."""
