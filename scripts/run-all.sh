#!/usr/bin/env bash
# `make run`: start backend, action server, Rasa and gateway on the embedded
# defaults, print where to go, and stop them all on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
set -a
# shellcheck disable=SC1091
[ -f .env ] && source .env
set +a
# Generated local secrets fill only what .env leaves empty.
while IFS='=' read -r key value; do
  [ -n "${!key:-}" ] || export "$key=$value"
done < var/secrets.env
mkdir -p var/log
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

start() {  # start <name> <command...>
  local name=$1; shift
  "$@" >"var/log/$name.log" 2>&1 &
  pids+=($!)
  echo "  started $name (log: var/log/$name.log)"
}

wait_http() {  # wait_http <name> <url> <seconds>
  for _ in $(seq "$3"); do
    curl -fs -o /dev/null "$2" && return 0
    sleep 1
  done
  echo "error: $1 did not come up at $2; see var/log/$1.log" >&2
  exit 1
}

echo "Starting Aduan"
start backend .venv/bin/python -m backend
wait_http backend "http://127.0.0.1:${BACKEND_PORT:-8000}/healthz" 60
start actions make -s actions
start rasa make -s rasa
start gateway .venv/bin/python -m bot.channels
wait_http rasa "http://127.0.0.1:5005/status" 180
wait_http gateway "http://127.0.0.1:${GATEWAY_PORT:-8080}/healthz" 60

cat <<INFO

Aduan is running:
  web chat (try the bot)   http://127.0.0.1:${GATEWAY_PORT:-8080}/
  backend API docs         http://127.0.0.1:${BACKEND_PORT:-8000}/docs
  Rasa server              http://127.0.0.1:5005
  action server            http://127.0.0.1:5055
Create an operator login: .venv/bin/python -m backend create-admin <username>
Ctrl-C stops everything.
INFO
wait -n "${pids[@]}"
echo "a process stopped; see var/log/ — stopping the others" >&2
exit 1
