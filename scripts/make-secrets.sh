#!/usr/bin/env bash
# Random local-development secrets for `make run`; never used in production.
set -eu
rand() { head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40; }
echo "BACKEND_SERVICE_TOKEN=$(rand)"
echo "TELEGRAM_WEBHOOK_SECRET=$(rand)"
echo "WHATSAPP_VERIFY_TOKEN=$(rand)"
