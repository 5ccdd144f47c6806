#!/bin/sh
# Serve Earful with gunicorn and run the background worker beside it; Ctrl-C stops both.
set -eu
BIN=${BIN:-.venv/bin}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
WORKERS=${EARFUL_WEB_WORKERS:-2}

"$BIN/earful" worker &
worker=$!
trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null' EXIT INT TERM
echo "Earful is serving on http://$HOST:$PORT/ (API docs: http://$HOST:$PORT/api/v1/docs)"
"$BIN/gunicorn" earful.wsgi:application --bind "$HOST:$PORT" --workers "$WORKERS" \
    --access-logfile - --graceful-timeout 5
