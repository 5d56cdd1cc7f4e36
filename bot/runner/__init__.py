"""The runner: make run (serve), the CLI, training, preparing the store, the production profile."""
