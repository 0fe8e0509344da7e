#!/usr/bin/env bash
# The git server of the GitOps examples: git's own `git daemon` on 127.0.0.1 (a free port), serving every
# repository in STATE_DIR with anonymous reads and pushes. Idempotent; the daemon outlives this script.
#
# Usage: examples/git-daemon.sh start STATE_DIR    prints the port on stdout
#        examples/git-daemon.sh stop STATE_DIR
# STATE_DIR holds the repositories and the daemon's pid, port and log.
set -euo pipefail

log() { printf 'git-daemon: %s\n' "$*" >&2; }
command=${1:?usage: $0 start|stop STATE_DIR}
state=${2:?usage: $0 start|stop STATE_DIR}

running() { [ -f "$state/daemon.pid" ] && kill -0 "$(cat "$state/daemon.pid")" 2>/dev/null; }
listening() { { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null && { exec 3<&- 3>&-; return 0; }; return 1; }

case "$command" in
  stop)
    if running; then
      pid=$(cat "$state/daemon.pid")
      kill "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      log "stopped (pid $pid)"
    else
      log "not running"
    fi
    rm -f "$state/daemon.pid"
    ;;
  start)
    command -v git >/dev/null 2>&1 || { log "git is not installed (Debian: apt-get install git)"; exit 1; }
    mkdir -p "$state"
    state=$(cd "$state" && pwd)
    if running; then
      log "already running (pid $(cat "$state/daemon.pid"))"
      cat "$state/daemon.port"
      exit 0
    fi
    for _ in $(seq 1 20); do
      port=$(( 20000 + RANDOM % 30000 ))
      listening "$port" && continue
      # setsid: the daemon outlives this script and is not killed with its process group.
      setsid git daemon --reuseaddr --export-all --enable=receive-pack --informative-errors \
        --listen=127.0.0.1 --port="$port" --base-path="$state" "$state" >>"$state/daemon.log" 2>&1 </dev/null &
      echo $! > "$state/daemon.pid"
      for _ in $(seq 1 50); do listening "$port" && break; sleep 0.1; done
      if listening "$port"; then
        echo "$port" > "$state/daemon.port"
        log "serving $state on git://127.0.0.1:$port/ (pid $(cat "$state/daemon.pid"))"
        echo "$port"
        exit 0
      fi
      kill "$(cat "$state/daemon.pid")" 2>/dev/null || true
      rm -f "$state/daemon.pid"
    done
    log "could not start git daemon (see $state/daemon.log)"
    exit 1
    ;;
  *)
    log "unknown command \"$command\" (start or stop)"
    exit 2
    ;;
esac
