#!/usr/bin/env bash
# Install (if missing) and start PostgreSQL on 127.0.0.1, with a role and database for the
# test suite. Idempotent; prints the DATABASE_URL to use on its last line.
set -euo pipefail

PGPORT="${PGPORT:-5432}"
PGUSER_NAME="${PGUSER_NAME:-guildhall}"
PGPASSWORD_VALUE="${PGPASSWORD_VALUE:-guildhall}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "Installing PostgreSQL (Debian packages)…" >&2
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
fi

VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^$VERSION main$"; then
  $SUDO pg_createcluster "$VERSION" main --port "$PGPORT" >&2
fi
if ! pg_lsclusters -h | awk -v v="$VERSION" '$1==v && $2=="main" {print $4}' | grep -q online; then
  $SUDO pg_ctlcluster "$VERSION" main start >&2
fi
PORT=$(pg_lsclusters -h | awk -v v="$VERSION" '$1==v && $2=="main" {print $3}')

for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 1
done

# SQL on standard input, run as the postgres superuser.
psql_admin() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -c "psql -v ON_ERROR_STOP=1 -qtA -p $PORT"
  else sudo -u postgres psql -v ON_ERROR_STOP=1 -qtA -p "$PORT"; fi
}
psql_admin >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PGUSER_NAME') THEN
    CREATE ROLE $PGUSER_NAME LOGIN CREATEDB PASSWORD '$PGPASSWORD_VALUE';
  END IF;
END \$\$;
SQL
if [ "$(echo "SELECT 1 FROM pg_database WHERE datname = 'guildhall'" | psql_admin)" != "1" ]; then
  echo "CREATE DATABASE guildhall OWNER $PGUSER_NAME" | psql_admin >&2
fi
echo "postgres://$PGUSER_NAME:$PGPASSWORD_VALUE@127.0.0.1:$PORT/guildhall"
