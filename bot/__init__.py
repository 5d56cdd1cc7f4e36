"""The web side of Shopmate: web app, widget, process runner, Rasa event-broker adapter."""
