#!/usr/bin/env bash
# Apache Spark for the fingerprint tests (RealSparkIT): its jars from Maven Central (spark/pom.xml,
# cached), a standalone master, a worker and an application's UI on loopback inside a network
# namespace of its own that holds nothing but lo.
#
#   spark.sh prepare   fetch the jars (cached in $CACHE/jars-$SPARK_VERSION); prints "ready spark DIR"
#   spark.sh up        prepare, create namespace $NS, start master (127.0.0.1:7077, UI 8080), worker
#                      (UI 8081) and an application (RealprodApp.java, UI 4040); wait until each answers
#   spark.sh down      stop them (by the pids recorded), delete the namespace
#   spark.sh list      "NS ADDR PORT ID VARIANT" per started UI
#   spark.sh version   the Spark version run
#   spark.sh logdir    where the logs are ($STATE/<name>.log, ready.log, and wire.pcap: every TCP segment
#                      sent to Spark's ports on the namespace's lo)
#
# Exit 3 with one line when Maven Central cannot supply the jars: the tests then skip.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SPARK_VERSION="$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' "$HERE/spark/pom.xml")"
NS="${AISCAN_REALPROD_SPARK_NS:-aisrp-spark}"
CACHE="${AISCAN_REALPROD_CACHE:-/var/cache/aiscan-realprod}/spark"
JARS="$CACHE/jars-$SPARK_VERSION"
STATE="/run/aiscan-realprod/$NS"
# What Spark's launcher adds on Java 17 (launcher/src/main/java/org/apache/spark/launcher/JavaModuleOptions.java)
JAVA_OPTS=(-Xmx512m -XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false)

log() { echo "realprod: $*" >&2; }

prepare() {
  if [ ! -f "$JARS/.ready" ]; then
    command -v mvn >/dev/null || { log "cannot fetch spark-core_2.13:$SPARK_VERSION from Maven Central (no mvn)"; exit 3; }
    rm -rf "$JARS"; mkdir -p "$CACHE"; local t0=$SECONDS
    if ! nice mvn -B -f "$HERE/spark/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$JARS" \
      >"$CACHE/fetch.log" 2>&1; then
      if grep -qE 'Could not (resolve|transfer)|Could not find artifact|UnknownHost|Connection refused|timed out' "$CACHE/fetch.log"; then
        log "cannot fetch spark-core_2.13:$SPARK_VERSION from Maven Central ($(grep -m1 -oE '(Could not (resolve|transfer|find)|UnknownHost|Connection refused|timed out)[^\[]{0,160}' "$CACHE/fetch.log"))"
        exit 3
      fi
      log "fetching Spark failed: see $CACHE/fetch.log"; exit 1
    fi
    echo "spark-core_2.13:$SPARK_VERSION $((SECONDS - t0))s $(du -sm "$JARS" | cut -f1)MB" >"$JARS/.ready"
    log "fetched $(cat "$JARS/.ready")"
  fi
  echo "ready spark $JARS"
}

# launch NAME CLASS-OR-SOURCE ARGS...: java in the namespace, as nobody, clean environment, its own home
launch() {
  local name="$1"; shift
  local home="$STATE/home/$name"
  mkdir -p "$home/tmp"; chown -R 65534:65534 "$home"
  date +%s.%N >"$STATE/$name.t0"
  (cd "$home" && exec ip netns exec "$NS" setsid setpriv --reuid=65534 --regid=65534 --clear-groups \
    env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_DIRS="$home/tmp" \
    SPARK_WORKER_DIR="$home/work" SPARK_NO_DAEMONIZE=1 \
    java "${JAVA_OPTS[@]}" -Djava.io.tmpdir="$home/tmp" -cp "$JARS/*" "$@") >"$STATE/$name.log" 2>&1 </dev/null &
  echo "$! $name" >>"$STATE/pids"
}

# ready PORT PATH NAME SECONDS: until GET PATH answers 200
ready() {
  local port="$1" path="$2" name="$3" secs="$4" code="" t0 end
  t0="$(cat "$STATE/$name.t0")"; end=$((SECONDS + secs))
  until [ "$code" = 200 ]; do
    code="$(ip netns exec "$NS" curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port$path" || true)"
    [ "$code" = 200 ] && break
    kill -0 "$(awk -v n="$name" '$2 == n {print $1}' "$STATE/pids")" 2>/dev/null \
      || { log "$name exited before it answered; see $STATE/$name.log"; return 1; }
    [ $SECONDS -lt $end ] || { log "$name: 127.0.0.1:$port$path did not answer 200 within $secs s (last: $code); see $STATE/$name.log"; return 1; }
    sleep 0.5
  done
  awk -v a="$t0" -v b="$(date +%s.%N)" -v n="$name" 'BEGIN {printf "%s ready after %.1f s\n", n, b - a}' | tee -a "$STATE/ready.log" >&2
}

up() {
  [ "$(id -u)" = 0 ] || { log "needs root (network namespaces)"; exit 1; }
  command -v tcpdump >/dev/null || { log "needs tcpdump (apt-get install tcpdump)"; exit 1; }
  local t_up=$SECONDS
  prepare >/dev/null
  down quiet
  rm -rf "$STATE"; mkdir -p "$STATE/home"
  : >"$STATE/pids"; : >"$STATE/ready.log"
  printf '%s\n' "$NS 127.0.0.1 8080 spark master" "$NS 127.0.0.1 8081 spark worker" "$NS 127.0.0.1 4040 spark app" >"$STATE/list"
  ip netns add "$NS"
  ip netns exec "$NS" ip link set lo up
  # every TCP segment to Spark's UI ports: the request log (Spark logs no request lines)
  (exec ip netns exec "$NS" setsid tcpdump -i lo --immediate-mode -U -nn -s 0 -w "$STATE/wire.pcap" \
    'tcp dst port 8080 or tcp dst port 8081 or tcp dst port 4040') >"$STATE/tcpdump.log" 2>&1 </dev/null &
  echo "$! tcpdump" >>"$STATE/pids"
  local j
  for j in $(seq 1 50); do grep -q listening "$STATE/tcpdump.log" && break; sleep 0.1; done
  launch master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 7077 --webui-port 8080
  ready 8080 /json/ master 120
  launch worker org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 --memory 512m --webui-port 8081 spark://127.0.0.1:7077
  cp "$HERE/spark/RealprodApp.java" "$STATE/home/RealprodApp.java"
  # a driver needs a heap of at least 450 MB (UnifiedMemoryManager)
  launch app -Xmx768m "$STATE/home/RealprodApp.java"
  local failed=0
  ready 8081 /json/ worker 120 || failed=1
  ready 4040 /api/v1/version app 180 || failed=1
  [ "$failed" = 0 ] || { log "not every Spark process became ready; see $STATE/*.log"; exit 1; }
  # the worker is in the master's state once it has registered
  local i
  for i in $(seq 1 60); do
    ip netns exec "$NS" curl -s --max-time 2 http://127.0.0.1:8080/json/ | grep -qE '"aliveworkers" *: *1' && break
    [ "$i" -lt 60 ] || { log "the worker did not register with the master within 30 s; see $STATE/worker.log"; exit 1; }
    sleep 0.5
  done
  log "spark $SPARK_VERSION up in $((SECONDS - t_up)) s, namespace $NS (loopback only); logs in $STATE"
}

down() {
  local quiet="${1:-}" pid name
  if [ -f "$STATE/pids" ]; then
    while read -r pid name; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done <"$STATE/pids"
    sleep 1
    while read -r pid name; do kill -KILL -- "-$pid" 2>/dev/null || true; done <"$STATE/pids"
    rm -f "$STATE/pids"
  fi
  if ip netns list | awk '{print $1}' | grep -qx -- "$NS"; then
    ip netns pids "$NS" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    ip netns del "$NS"
  fi
  [ -n "$quiet" ] || log "down"
}

case "${1:-}" in
  prepare) prepare ;;
  up) up ;;
  down) down ;;
  list) [ -f "$STATE/list" ] && cat "$STATE/list" ;;
  version) echo "$SPARK_VERSION" ;;
  logdir) echo "$STATE" ;;
  *) echo "usage: $0 prepare|up|down|list|version|logdir" >&2; exit 2 ;;
esac
