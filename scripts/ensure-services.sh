#!/usr/bin/env bash
# Make sure the PostgreSQL and Redis the tests use are up; start them if not.
# Says clearly what is missing when it cannot.
set -u
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}

wait_for() {  # wait_for <seconds> <command...>
  local n=$1; shift
  for _ in $(seq "$n"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  return 1
}

if ! pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
  echo "PostgreSQL is not answering on $PGHOST:$PGPORT; starting it"
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  fi
  if ! wait_for 30 pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
    echo "error: PostgreSQL is not running on $PGHOST:$PGPORT and could not be started." >&2
    echo "       Install it (Debian: apt-get install postgresql) or start it, then retry." >&2
    exit 1
  fi
fi

if command -v redis-cli >/dev/null && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "Redis is not answering on 127.0.0.1:6379; starting it"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null 2>&1 || true
  if ! wait_for 10 redis-cli -h 127.0.0.1 -p 6379 ping; then
    echo "warning: Redis could not be started; tests that need it will say so" >&2
  fi
fi
exit 0
