# Sourced by jrump's scripts: selects a JDK 25 (the machine's default java is 17) and exports JAVA_HOME.
jrump_java_ok() {
    [[ -x "$1/bin/java" ]] || return 1
    local v=
    # the JDK's release file names its version without starting a JVM (40 ms of every jrump command)
    [[ -f "$1/release" ]] && v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
    [[ -n "$v" ]] || v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    [[ -n "$v" && "$v" -ge 25 ]]
}
if [[ -z "${JAVA_HOME:-}" ]] || ! jrump_java_ok "$JAVA_HOME"; then
    JAVA_HOME=
    for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk* /usr/lib/jvm/*-25-* /usr/lib/jvm/*; do
        if jrump_java_ok "$candidate"; then JAVA_HOME=$candidate; break; fi
    done
    if [[ -z "$JAVA_HOME" ]]; then
        echo "jrump: needs a JDK 25 or newer; none found (looked at \$JAVA_HOME and /usr/lib/jvm)." >&2
        echo "jrump: install Temurin 25 at /usr/lib/jvm/temurin-25-jdk-amd64 or set JAVA_HOME." >&2
        exit 1
    fi
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
