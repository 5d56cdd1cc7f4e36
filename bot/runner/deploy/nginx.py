"""nginx in front of the production profile: the only listener the public reaches.

It exposes three things: the widget's socket.io path, the REST chat channel, and the web
app (shop page, console, shop events API, widget history). Rasa's own HTTP API
(`/conversations`, `/model`, ...) and the action servers are reachable only on internal
listeners bound to 127.0.0.1, for the web app's pushes and Rasa's action calls.

The widget speaks socket.io over WebSocket only: one connection stays on one process for
its life, so socket.io needs no sticky sessions and its connections go to the least busy
process, like the REST channel and the internal APIs (stateless: the tracker is in
PostgreSQL and Redis locks each conversation). Sticky by address (`ip_hash`) was measured
first: every shopper behind one address (an office, a mobile carrier's NAT, the benchmark)
landed on one process. (A socket.io client that uses long-polling needs one process per
session, which this layout does not promise.)
"""

from __future__ import annotations

import os
import pwd
import shutil
from dataclasses import dataclass
from pathlib import Path

from lifecycle.settings import MAX_BODY_BYTES

WORKER_USER = "www-data"


@dataclass(frozen=True)
class Layout:
    public_host: str
    public_port: int
    web_port: int
    rasa_ports: tuple[int, ...]
    action_ports: tuple[int, ...]
    internal_rasa_port: int
    internal_actions_port: int
    rest_channel: bool = True


def _servers(ports: tuple[int, ...]) -> str:
    return "\n".join(f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in ports)


# nginx is the edge: X-Forwarded-For is the address it saw, never appended to one the client wrote
# (the web app's and the chat's per-address limits believe it). One request id across retries lets a
# Rasa process answer a message another process died with from the record, not twice.
PROXY = """proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Request-Id $request_id;"""


def render(layout: Layout, folder: Path) -> str:
    temp = folder / "tmp"
    user = f"user {WORKER_USER};" if os.geteuid() == 0 else ""
    rest = f"""
    location = /webhooks/rest/webhook {{
      proxy_pass http://rasa_rest;
      {PROXY}
      # A process that dies takes the message it was sent with it: send that message to another
      # (only on a connection error, never on a slow answer, which may still complete).
      proxy_next_upstream error non_idempotent;
      proxy_read_timeout 90s;
    }}""" if layout.rest_channel else ""
    return f"""# Written by bot/runner/deploy/nginx.py for `make run-prod`; edits are overwritten at start.
{user}
worker_processes auto;
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'} warn;
events {{ worker_connections 2048; }}
http {{
  # Rasa calls the action servers with its token in the query string: logs show paths, never queries.
  log_format path_only '$remote_addr [$time_local] "$request_method $uri" $status $body_bytes_sent $request_time';
  access_log {folder / 'access.log'} path_only;
  client_body_buffer_size {MAX_BODY_BYTES};  # bodies stay in memory: no temp file, no warning naming the URL
  client_body_temp_path {temp / 'body'};
  proxy_temp_path {temp / 'proxy'};
  fastcgi_temp_path {temp / 'fastcgi'};
  uwsgi_temp_path {temp / 'uwsgi'};
  scgi_temp_path {temp / 'scgi'};
  client_max_body_size {MAX_BODY_BYTES};
  server_tokens off;
  map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}

  upstream rasa_chat {{
    least_conn;
{_servers(layout.rasa_ports)}
  }}
  upstream rasa_rest {{
    least_conn;
{_servers(layout.rasa_ports)}
  }}
  upstream actions {{
    least_conn;
{_servers(layout.action_ports)}
  }}
  upstream web {{
    server 127.0.0.1:{layout.web_port};
  }}

  server {{
    listen {layout.public_host}:{layout.public_port};
    location /socket.io/ {{
      proxy_pass http://rasa_chat;
      {PROXY}
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_read_timeout 120s;
    }}{rest}
    location / {{
      proxy_pass http://web;
      {PROXY}
    }}
  }}

  # Internal listeners: the web app reaches Rasa's API, Rasa reaches the action servers.
  # Their paths hold conversation secrets and their queries Rasa's token: never logged.
  server {{
    listen 127.0.0.1:{layout.internal_rasa_port};
    access_log off;
    location / {{
      proxy_pass http://rasa_rest;
      {PROXY}
      proxy_next_upstream error timeout http_502 http_503;
      proxy_read_timeout 90s;
    }}
  }}
  server {{
    listen 127.0.0.1:{layout.internal_actions_port};
    access_log off;
    # nginx's error lines quote the request with its query (Rasa's token); a dead action
    # server is reported by the runner and by the shopper's apology instead.
    error_log {folder / 'error.log'} crit;
    location / {{
      proxy_pass http://actions;
      {PROXY}
      proxy_next_upstream error timeout http_502 http_503;
    }}
  }}
}}
"""


def prepare(layout: Layout, folder: Path) -> list[str]:
    """Write the config and its folders; returns the command that runs nginx in the foreground."""
    folder = folder.resolve()
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        path = folder / "tmp" / name
        path.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:  # the workers run as www-data and write request bodies here
            owner = pwd.getpwnam(WORKER_USER)
            os.chown(path, owner.pw_uid, owner.pw_gid)
    config = folder / "nginx.conf"
    config.write_text(render(layout, folder), encoding="utf-8")
    binary = shutil.which("nginx") or "/usr/sbin/nginx"  # /usr/sbin is not on every user's PATH
    return [binary, "-c", str(config), "-p", str(folder), "-e", str(folder / "error.log"), "-g", "daemon off;"]
