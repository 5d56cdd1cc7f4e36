"""What Rasa loads: the channels, the NLU router, the event broker, the tracker and lock stores."""
