#!/bin/sh
# Prints the path of a working Python 3.10 (Rasa 3.6 supports 3.8-3.10), or explains what to install.
for candidate in python3.10 "$(command -v pyenv >/dev/null 2>&1 && pyenv root)"/versions/3.10*/bin/python3.10 \
                 "$HOME"/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do
  if "$candidate" -c 'import sys, venv; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then
    command -v "$candidate" 2>/dev/null || echo "$candidate"
    exit 0
  fi
done
echo "No Python 3.10 found. Rasa 3.6 needs Python 3.10: install it with 'pyenv install 3.10' or your" >&2
echo "package manager (e.g. 'apt install python3.10 python3.10-venv'), then run make again." >&2
exit 1
