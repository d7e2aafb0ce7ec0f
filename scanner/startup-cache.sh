#!/usr/bin/env bash
# Start-up caches for scanner/aiscan, made at build time (mvn package runs this) and again after a
# JDK upgrade, which makes the old ones useless (the JVM then ignores them and starts ~0.3 s slower):
#
#   scanner/startup-cache.sh [TARGET_DIR]        default: the checkout's target/
#
# 1. picocli 4.7 ships Java 5 class files, which neither class-data sharing nor the AOT cache can
#    hold (the JVM logs "Pre JDK 6 class not supported by CDS"); if its sources jar was copied next
#    to the build (TARGET_DIR/picocli-sources.jar, by the pom), the same sources are compiled at
#    release 17 into TARGET_DIR/lib/picocli-VERSION.jar, which the jar's Class-Path names.
# 2. TARGET_DIR/aiscan.jsa: a dynamic class-data-sharing archive for the default java (JAVA_HOME or
#    PATH); TARGET_DIR/aiscan.jsa.java records which JDK made it.
# 3. TARGET_DIR/aiscan.aot: an AOT cache (JEP 483 classes loaded and linked, JEP 515 method profiles)
#    made with the newest JDK >= 25 found (AISCAN_AOT_JAVA, else /usr/lib/jvm/*); aiscan.aot.java
#    records it. The launcher prefers that JDK with its cache, and falls back to the default java.
#    TARGET_DIR/aiscan-ports.aot: the same for scans with --no-fingerprint (see 4 below).
#
# Each cache comes from a training run that only touches loopback: a scan of 127.0.0.1 port 9.
# Measured on 2 cores (README, Benchmarks): `aiscan --version` 0.35 s plain Java 17, 0.23 s Java 25
# with the AOT cache.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
target="${1:-$root/target}"
jar="$target/aiscan.jar"
[ -f "$jar" ] || { echo "startup-cache: $jar not found; build first (mvn -B -q package -DskipTests)" >&2; exit 1; }

log() { echo "startup-cache: $*" >&2; }

# The version recorded in a JDK's release file, e.g. 17.0.21.1 or 25.0.3 (no JVM started).
jdk_version() { sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$1/release" 2>/dev/null; }
jdk_major() { local v; v="$(jdk_version "$1")"; v="${v%%.*}"; echo "${v:-0}"; }
# The JDK folder of a java binary (resolving /usr/bin/java's alternatives link).
jdk_of() { local j; j="$(readlink -f "$1")"; dirname "$(dirname "$j")"; }

default_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then echo "$JAVA_HOME/bin/java"; else command -v java; fi
}

# The training run: loopback only, whatever AISCAN_ALLOWED_NETS the caller had. TRAIN_ARGS adds
# options to the scan (the port-scan cache trains without fingerprinting).
train() { # java, extra options...
  local java="$1"; shift
  # shellcheck disable=SC2086
  env AISCAN_ALLOWED_NETS=127.0.0.0/8 AISCAN_NO_TTY=1 AISCAN_CDS_TRAINING=1 "$java" "$@" -XX:+UseSerialGC \
    -Daiscan.home="$root" -jar "$jar" scan 127.0.0.1 --ports=9 --mode auto -q --jsonl "$target/startup-training.jsonl" ${TRAIN_ARGS:-} \
    >"$target/startup-training.log" 2>&1
}

# 1. picocli at release 17
if [ -f "$target/picocli-sources.jar" ]; then
  java="$(default_java)"
  javac="$(jdk_of "$java")/bin/javac"
  lib="$(ls "$target"/lib/picocli-[0-9]*.jar 2>/dev/null | head -1 || true)"
  if [ -x "$javac" ] && [ -n "$lib" ]; then
    work="$target/picocli-build"
    rm -rf "$work" && mkdir -p "$work/src" "$work/classes"
    (cd "$work/src" && "$(dirname "$javac")/jar" xf "$target/picocli-sources.jar")
    mapfile -t sources < <(find "$work/src/picocli" -name '*.java' -not -name module-info.java)
    "$javac" --release 17 -nowarn -proc:none -encoding UTF-8 -d "$work/classes" "${sources[@]}" 2>"$work/javac.log" \
      || { log "picocli did not compile at release 17 (see $work/javac.log); keeping the published jar"; sources=(); }
    if [ ${#sources[@]} -gt 0 ]; then
      printf 'Manifest-Version: 1.0\nImplementation-Title: picocli\nImplementation-Version: %s\nX-Aiscan-Note: compiled from the published sources jar at release 17 so that class-data sharing can hold it\n' \
        "$(basename "$lib" .jar | sed 's/^picocli-//')" >"$work/MANIFEST.MF"
      "$(dirname "$javac")/jar" cfm "$lib.new" "$work/MANIFEST.MF" -C "$work/classes" picocli
      mv "$lib.new" "$lib"
      rm -rf "$work"
    fi
  else
    log "no javac next to $java; picocli stays at its published class version"
  fi
fi

# 2. class-data sharing for the default java
java="$(default_java)"
rm -f "$target/aiscan.jsa" "$target/aiscan.jsa.java"
if train "$java" -XX:ArchiveClassesAtExit="$target/aiscan.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off && [ -f "$target/aiscan.jsa" ]; then
  jdk="$(jdk_of "$java")"
  echo "$jdk $(jdk_version "$jdk")" >"$target/aiscan.jsa.java"
else
  log "no class-data-sharing archive (see $target/startup-training.log)"
fi

# 3. AOT cache with the newest JDK >= 25
aot_jdk=""
if [ -n "${AISCAN_AOT_JAVA:-}" ]; then
  aot_jdk="$(jdk_of "$AISCAN_AOT_JAVA")"
else
  best=0
  for d in /usr/lib/jvm/*/; do
    d="${d%/}"
    [ -x "$d/bin/java" ] && [ ! -L "$d" ] || continue
    m="$(jdk_major "$d")"
    if [ "$m" -ge 25 ] && [ "$m" -gt "$best" ]; then best="$m"; aot_jdk="$d"; fi
  done
fi
rm -f "$target/aiscan.aot" "$target/aiscan.aot.java" "$target/aiscan-ports.aot" "$target/aiscan-ports.aot.java"
if [ -n "$aot_jdk" ] && [ "$(jdk_major "$aot_jdk")" -ge 25 ]; then
  if train "$aot_jdk/bin/java" -XX:AOTCacheOutput="$target/aiscan.aot" --enable-native-access=ALL-UNNAMED && [ -f "$target/aiscan.aot" ]; then
    echo "$aot_jdk $(jdk_version "$aot_jdk")" >"$target/aiscan.aot.java"
  else
    log "no AOT cache from $aot_jdk (see $target/startup-training.log)"
  fi
  # 4. a second, smaller cache for scans with --no-fingerprint: the JVM loads every class of a cache at
  #    start, and a port scan needs none of the rule loading's (Jackson, YAML); measured on W1, a /24 x 4
  #    ports, ~35 ms of a 0.35 s run. Fingerprinting runs keep the full cache (the small one cost them 0.2 s).
  if TRAIN_ARGS=--no-fingerprint train "$aot_jdk/bin/java" -XX:AOTCacheOutput="$target/aiscan-ports.aot" --enable-native-access=ALL-UNNAMED \
      && [ -f "$target/aiscan-ports.aot" ]; then
    echo "$aot_jdk $(jdk_version "$aot_jdk")" >"$target/aiscan-ports.aot.java"
  else
    log "no port-scan AOT cache from $aot_jdk (see $target/startup-training.log)"
  fi
fi
exit 0
