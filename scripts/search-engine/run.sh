#!/usr/bin/env bash
# Run a local, single-node Elasticsearch 8 or OpenSearch 2 for development and tests, without
# Docker and without a downloaded distribution: the engine's jars come from Maven Central (through
# ~/.m2), a small Java launcher in this folder starts an embedded node with the modules it needs.
#
#   run.sh start  elasticsearch|opensearch   build if needed, start in the background, wait for
#                                            yellow/green health; prints the base URL last
#   run.sh stop   elasticsearch|opensearch   stop the node (SIGTERM, then SIGKILL after 30 s)
#   run.sh url    elasticsearch|opensearch   print the base URL (does not check it)
#   run.sh status elasticsearch|opensearch   print the URL and cluster health, exit 1 if down
#
# Plain HTTP on 127.0.0.1, no security, 512 MB heap. Data and the log (node.log) live in
# <repo>/.search-engine/<engine>/, the build in <repo>/.search-engine/build/<engine>/.
# Environment: ES_PORT (9200), OS_PORT (9201), ES_TRANSPORT_PORT / OS_TRANSPORT_PORT (port + 100),
# SEARCH_ENGINE_HEAP (512m), SEARCH_ENGINE_TIMEOUT (120 seconds), JAVA_HOME (a JDK 17+),
# SEARCH_ENGINE_DATA (the node's folder, for a second node of the same engine).
# Progress goes to stderr; stdout carries only the URL.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STATE="$ROOT/.search-engine"
HEAP="${SEARCH_ENGINE_HEAP:-512m}"
TIMEOUT="${SEARCH_ENGINE_TIMEOUT:-120}"

say() { echo "search-engine: $*" >&2; }
die() { echo "search-engine: ERROR: $*" >&2; exit 1; }

usage() { sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

[ $# -eq 2 ] || usage
COMMAND="$1"
ENGINE="$2"
case "$ENGINE" in
  elasticsearch | es)
    ENGINE=elasticsearch
    PORT="${ES_PORT:-9200}"
    PORT_VAR=ES_PORT
    TRANSPORT_PORT="${ES_TRANSPORT_PORT:-$((PORT + 100))}"
    MAIN_CLASS=guildhall.search.ElasticsearchNode
    JAR=elasticsearch-node-1.jar
    ;;
  opensearch | os)
    ENGINE=opensearch
    PORT="${OS_PORT:-9201}"
    PORT_VAR=OS_PORT
    TRANSPORT_PORT="${OS_TRANSPORT_PORT:-$((PORT + 100))}"
    MAIN_CLASS=guildhall.search.OpenSearchNode
    JAR=opensearch-node-1.jar
    ;;
  *) usage ;;
esac
URL="http://127.0.0.1:$PORT"
SRC="$HERE/$ENGINE"
BUILD="$STATE/build/$ENGINE"
DATA="${SEARCH_ENGINE_DATA:-$STATE/$ENGINE}"
LOG="$DATA/node.log"
PIDFILE="$DATA/node.pid"

# ---- HTTP helpers (curl, or Python where curl is missing) ---------------------------------------
http_get() { # URL -> body on stdout; non-zero if unreachable or HTTP >= 400
  if command -v curl >/dev/null; then
    curl -sf --max-time 5 "$1"
  else
    python3 - "$1" <<'PY'
import sys, urllib.request
try:
    sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())
except Exception:
    sys.exit(1)
PY
  fi
}

# The engine answering on the port: "elasticsearch", "opensearch", "other" or "" (nothing there).
engine_on_port() {
  local info
  info=$(http_get "$URL/" 2>/dev/null) || { port_open && echo other; return 0; }
  if grep -q '"distribution" *: *"opensearch"' <<<"$info"; then echo opensearch
  elif grep -q '"tagline"' <<<"$info"; then echo elasticsearch
  else echo other; fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

healthy() { # the cluster answers with yellow or green health
  http_get "$URL/_cluster/health" 2>/dev/null | grep -Eq '"status" *: *"(green|yellow)"'
}

node_pid() { # PID of our node process, if it is running
  local pid
  [ -f "$PIDFILE" ] || return 1
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$MAIN_CLASS" || return 1
  echo "$pid"
}

# ---- Java and Maven --------------------------------------------------------------------------------
java_major() { "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'; }

find_java() {
  local candidate
  for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java || true)" /usr/lib/jvm/java-17-openjdk-amd64/bin/java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && [ "$(java_major "$candidate")" -ge 17 ] 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

ensure_tools() {
  if ! find_java >/dev/null || ! command -v mvn >/dev/null; then
    [ "$(id -u)" -eq 0 ] || die "need a JDK 17+ and Maven (apt-get install openjdk-17-jdk-headless maven)"
    say "installing a JDK and Maven (Debian packages)…"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven >&2
  fi
  JAVA="$(find_java)" || die "no Java 17+ found"
  # Maven compiles with the same JDK that runs the node.
  export JAVA_HOME="${JAVA%/bin/java}"
}

classpath_present() { # every jar of the last build is still in the Maven repository
  local jar
  while IFS= read -r jar; do
    [ -f "$jar" ] || return 1
  done < <(tr ':' '\n' <"$BUILD/classpath.txt")
}

build_stamp() {
  { echo "$JAVA"; cat "$SRC/pom.xml"; find "$SRC/src" -type f | sort | xargs cat; } | cksum | cut -d' ' -f1
}

build() {
  local stamp
  stamp=$(build_stamp)
  if [ -f "$BUILD/$JAR" ] && [ -f "$BUILD/classpath.txt" ] && [ "$(cat "$BUILD/stamp" 2>/dev/null)" = "$stamp" ] \
      && classpath_present; then
    return 0
  fi
  say "building the $ENGINE launcher (Maven resolves the engine's jars into ~/.m2)…"
  mkdir -p "$BUILD"
  if ! mvn -q -B -Dstyle.color=never -f "$SRC/pom.xml" \
      -Dbuild.dir="$BUILD" -Dmdep.outputFile="$BUILD/classpath.txt" \
      package dependency:build-classpath >"$BUILD/maven.log" 2>&1; then
    tail -n 40 "$BUILD/maven.log" >&2
    die "building the $ENGINE launcher failed (full output: $BUILD/maven.log)"
  fi
  echo "$stamp" >"$BUILD/stamp"
}

# ---- commands -------------------------------------------------------------------------------------
wait_healthy() { # PID -> 0 once healthy; dies with the log tail on exit or timeout
  local pid="$1" deadline=$((SECONDS + TIMEOUT))
  while [ $SECONDS -lt $deadline ]; do
    if healthy; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$LOG" >&2 || true
      die "$ENGINE exited during start-up (log: $LOG)"
    fi
    sleep 0.5
  done
  tail -n 30 "$LOG" >&2 || true
  kill -TERM "$pid" 2>/dev/null || true # do not leave a half-started node behind
  die "$ENGINE did not reach yellow/green health on $URL within ${TIMEOUT}s; stopped it (log: $LOG)"
}

start() {
  local pid running
  if healthy; then
    running=$(engine_on_port)
    [ "$running" = "$ENGINE" ] || die "port $PORT is taken by $running, not $ENGINE (set $PORT_VAR to use another port)"
    say "$ENGINE is already running on $URL"
    echo "$URL"
    return 0
  fi
  if pid=$(node_pid); then
    local other_port
    other_port=$(cat "$DATA/node.port" 2>/dev/null || echo "$PORT")
    [ "$other_port" = "$PORT" ] || die "$ENGINE (pid $pid) already runs from $DATA on port $other_port; stop it first"
    say "$ENGINE (pid $pid) is starting; waiting for it…"
    wait_healthy "$pid"
    echo "$URL"
    return 0
  fi
  if port_open; then
    die "port $PORT is in use by another process (not a healthy $ENGINE); free it or set $PORT_VAR"
  fi
  ensure_tools
  build
  mkdir -p "$DATA/data" "$DATA/logs" "$DATA/config"
  local cluster="guildhall-$ENGINE"
  local settings=(
    "path.home=$DATA" "path.data=$DATA/data" "path.logs=$DATA/logs"
    "cluster.name=$cluster" "node.name=$ENGINE-local"
    "network.host=127.0.0.1" "http.port=$PORT" "transport.port=$TRANSPORT_PORT"
    "discovery.type=single-node"
    "cluster.routing.allocation.disk.threshold_enabled=false"
  )
  local jvm=(
    "-Xms$HEAP" "-Xmx$HEAP" -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow
    -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Djna.nosys=true
    -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true -Dio.netty.recycler.maxCapacityPerThread=0
    -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true -Dlog4j2.formatMsgNoLookups=true
    "-Dguildhall.pidfile=$PIDFILE"
  )
  say "starting $ENGINE on $URL (log: $LOG)…"
  (
    cd "$DATA"
    exec setsid nohup "$JAVA" "${jvm[@]}" -cp "$BUILD/$JAR:$(cat "$BUILD/classpath.txt")" "$MAIN_CLASS" "${settings[@]}" \
      >"$LOG" 2>&1 </dev/null
  ) &
  pid=$!
  echo "$pid" >"$PIDFILE"
  echo "$PORT" >"$DATA/node.port"
  wait_healthy "$pid"
  say "$ENGINE is up (pid $pid)"
  echo "$URL"
}

stop() {
  local pid
  if ! pid=$(node_pid); then
    rm -f "$PIDFILE"
    if port_open && [ "$(engine_on_port)" = "$ENGINE" ]; then
      die "a $ENGINE on $URL was not started by this script (no pid file); stop it yourself"
    fi
    say "$ENGINE is not running"
    return 0
  fi
  say "stopping $ENGINE (pid $pid)…"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "$ENGINE did not stop within 30 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
  say "$ENGINE stopped"
}

status() {
  local health
  if health=$(http_get "$URL/_cluster/health" 2>/dev/null); then
    say "$health"
    echo "$URL"
  else
    say "$ENGINE is not answering on $URL"
    return 1
  fi
}

case "$COMMAND" in
  start) start ;;
  stop) stop ;;
  url) echo "$URL" ;;
  status) status ;;
  *) usage ;;
esac
