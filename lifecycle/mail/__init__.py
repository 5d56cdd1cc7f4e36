"""E-mail to shoppers who agreed to it (issue 24): consent per address, the durable queue, and the
messages themselves. Sending is an adapter's (bot/web/mail.py, SMTP); nothing here opens a socket."""
