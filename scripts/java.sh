# shellcheck shell=bash
# Shared by ./dev and ./fleetrun (sourced, not run): finding a JDK >= 21 on a machine whose default java
# may be older (Debian's is 17). Defines functions only; use_jdk is the one the scripts call.

java_major() { # prints the major version of the java binary $1, or nothing
  # The JDK's release file says it without starting a JVM (each start costs 0.1-0.3 s, and the command line
  # looks at every JDK it finds); the JVM is asked only where there is no such file.
  local release; release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ]; then
    local v; v="$(sed -n 's/^JAVA_VERSION="\([0-9][0-9.]*\).*/\1/p' "$release" | head -n1)"
    case "$v" in
      1.*) v="${v#1.}" ;;
    esac
    v="${v%%.*}"
    if [ -n "$v" ]; then echo "$v"; return 0; fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

find_jdk() { # prints a JAVA_HOME with a JDK >= 21: $JAVA_HOME first, then the lowest one found in the usual places
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    local v; v="$(java_major "$JAVA_HOME/bin/java")"
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  local best="" best_v=1000 home v
  for home in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$home/bin/javac" ] || continue
    v="$(java_major "$home/bin/java")"
    [ -n "$v" ] || continue
    if [ "$v" -ge 21 ] && [ "$v" -lt "$best_v" ]; then best="$home"; best_v="$v"; fi
  done
  [ -n "$best" ] && echo "$best"
}

use_jdk() { # $1: the calling command, for messages. Exports JAVA_HOME, PATH and MAVEN_OPTS for a JDK >= 21, or exits 2.
  local jdk; jdk="$(find_jdk || true)"
  if [ -z "$jdk" ]; then
    echo "$1: fleetrun needs a JDK 21 or newer and found none (JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm/*)." >&2
    echo "$1: install one (for example Temurin 21 or 25) and set JAVA_HOME to it." >&2
    exit 2
  fi
  export JAVA_HOME="$jdk"
  export PATH="$JAVA_HOME/bin:$PATH"
  # Maven 3.8's own libraries use sun.misc.Unsafe; keep JDK 25's warnings about them out of the output.
  case "${MAVEN_OPTS:-}" in
    *sun-misc-unsafe-memory-access*) ;;
    *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
  esac
}
