#!/usr/bin/env bash
# Varnish (Debian's package, installed when missing) in front of the app, on loopback.
#
#   scripts/varnish.sh start [--listen 127.0.0.1:6081] [--backend 127.0.0.1:8000] [--name N]
#                            [--purge-listen 127.0.0.1:6091] [--admin 127.0.0.1:6082]
#                            [--proxy-listen 127.0.0.1:PORT]
#   scripts/varnish.sh stop [--name N]
#   scripts/varnish.sh install
#
# `start` writes deploy/varnish/guildhall.vcl with the backend's address into the instance's
# folder, starts varnishd (or restarts it with a new VCL) and prints, on its last line, the
# URL of its purge listener: what the app's VARNISH_URL must be. Visitors use --listen
# (default: the purge listener's port minus 10). `--proxy-listen` adds a listener that takes the PROXY protocol (what a TLS proxy in
# front would send), which the tests use to speak from another address than loopback.
set -euo pipefail
cd "$(dirname "$0")/.."

ACTION="${1:-}"
shift || true
LISTEN=127.0.0.1:6081
BACKEND=127.0.0.1:8000
ADMIN=""
PURGE_LISTEN=""
NAME=guildhall
PROXY_LISTEN=""
MEMORY="${VARNISH_MEMORY:-256m}"
while [ $# -gt 0 ]; do
  case "$1" in
    --listen) LISTEN="$2"; shift 2 ;;
    --backend) BACKEND="$2"; shift 2 ;;
    --admin) ADMIN="$2"; shift 2 ;;
    --purge-listen) PURGE_LISTEN="$2"; shift 2 ;;
    --name) NAME="$2"; shift 2 ;;
    --proxy-listen) PROXY_LISTEN="$2"; shift 2 ;;
    *) echo "varnish.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
WORKDIR="${VARNISH_WORKDIR:-/tmp/guildhall-varnish}/$NAME"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

install_varnish() {
  if ! command -v varnishd >/dev/null 2>&1 && [ ! -x /usr/sbin/varnishd ]; then
    echo "Installing Varnish (Debian package)…" >&2
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq varnish >&2
    # The package's own service (port 6081) is not the one this project runs.
    $SUDO systemctl disable --now varnish >/dev/null 2>&1 || true
  fi
}

case "$ACTION" in
  install)
    install_varnish
    ;;
  start)
    install_varnish
    export PATH="$PATH:/usr/sbin"
    mkdir -p "$WORKDIR"
    host="${BACKEND%:*}"
    port="${BACKEND##*:}"
    sed -e "s/\.host = \"127.0.0.1\";/.host = \"$host\";/" \
        -e "s/\.port = \"8000\";/.port = \"$port\";/" \
        deploy/varnish/guildhall.vcl > "$WORKDIR/guildhall.vcl"
    if [ -f "$WORKDIR/varnishd.pid" ] && kill -0 "$(cat "$WORKDIR/varnishd.pid")" 2>/dev/null; then
      kill "$(cat "$WORKDIR/varnishd.pid")" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$(cat "$WORKDIR/varnishd.pid")" 2>/dev/null || break; sleep 0.1; done
    fi
    [ -n "$ADMIN" ] || ADMIN="127.0.0.1:$(( ${LISTEN##*:} + 1 ))"
    [ -n "$PURGE_LISTEN" ] || PURGE_LISTEN="127.0.0.1:$(( ${LISTEN##*:} + 10 ))"
    args=(-a "$LISTEN" -a "purge=$PURGE_LISTEN" -T "$ADMIN" -f "$WORKDIR/guildhall.vcl" -n "$WORKDIR/state"
          -P "$WORKDIR/varnishd.pid" -s "malloc,$MEMORY" -p ban_lurker_sleep=0.05)
    [ -z "$PROXY_LISTEN" ] || args+=(-a "$PROXY_LISTEN,PROXY")
    # varnishd drops privileges to its own users when started as root.
    [ "$(id -u)" -ne 0 ] || args+=(-j unix,user=varnish)
    varnishd "${args[@]}" >&2
    for _ in $(seq 1 50); do
      curl -s -o /dev/null -X OPTIONS "http://$LISTEN/" && break
      sleep 0.1
    done
    echo "http://$PURGE_LISTEN"
    ;;
  stop)
    if [ -f "$WORKDIR/varnishd.pid" ]; then
      kill "$(cat "$WORKDIR/varnishd.pid")" 2>/dev/null || true
      rm -f "$WORKDIR/varnishd.pid"
    fi
    ;;
  *)
    echo "usage: scripts/varnish.sh start|stop|install [options]" >&2
    exit 2
    ;;
esac
