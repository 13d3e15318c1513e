#!/usr/bin/env bash
# Benchmarks: see README.md beside this file.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed (Debian: apt-get install wrk)" >&2; exit 1; }
python3 bench/foundation.py "$@"
python3 bench/content.py "$@"
python3 bench/streams.py "$@"
python3 bench/login_flood.py "$@"
python3 bench/imports.py "$@"
python3 bench/content_calendar.py "$@"
python3 bench/post_metrics.py "$@"
node bench/notifications.mjs
node bench/navigation.mjs
