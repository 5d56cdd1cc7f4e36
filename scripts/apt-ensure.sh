#!/bin/sh
# Install a Debian package when its command is missing: scripts/apt-ensure.sh <command-path> <package> <why>
# Used by the Makefile for the servers the tests and the production profile start themselves.
set -u
command_path=$1 package=$2 why=$3
if [ -x "$command_path" ] || command -v "$command_path" >/dev/null 2>&1; then
	exit 0
fi
echo "[setup] installing Debian's $package ($why)"
if [ "$(id -u)" -ne 0 ]; then
	sudo=sudo
else
	sudo=
fi
($sudo apt-get install -y -q "$package" >/dev/null 2>&1 ||
	($sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q "$package" >/dev/null)) ||
	{ echo "[setup] could not install $package: run 'sudo apt-get install $package' and retry" >&2; exit 1; }
