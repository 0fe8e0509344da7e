#!/usr/bin/env bash
# Starts a local git server for the gitops-git example: a bare repository "gitops.git" with a Helm values
# file, served by git's own `git daemon` on 127.0.0.1 (a free port), anonymous reads and pushes.
#
# Usage: examples/gitops-git/start-git-server.sh STATE_DIR     start; prints the repository URL on stdout
#        examples/gitops-git/start-git-server.sh --stop STATE_DIR
# STATE_DIR holds the repository, the daemon's pid and log; it is created when missing.
set -euo pipefail

log() { printf 'git-server: %s\n' "$*" >&2; }

if [ "${1:-}" = "--stop" ]; then
  state=${2:?usage: $0 --stop STATE_DIR}
  if [ -f "$state/daemon.pid" ] && kill -0 "$(cat "$state/daemon.pid")" 2>/dev/null; then
    pid=$(cat "$state/daemon.pid")
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    log "stopped (pid $pid)"
  else
    log "not running"
  fi
  rm -f "$state/daemon.pid"
  exit 0
fi

state=${1:?usage: $0 STATE_DIR}
command -v git >/dev/null 2>&1 || { log "git is not installed (Debian: apt-get install git)"; exit 1; }
mkdir -p "$state"
state=$(cd "$state" && pwd)
repo="$state/gitops.git"

if [ ! -d "$repo" ]; then
  export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
  git init -q --bare --initial-branch=main "$repo"
  seed=$(mktemp -d)
  git -C "$seed" init -q --initial-branch=main
  mkdir -p "$seed/apps/shop"
  cat > "$seed/apps/shop/values.yaml" <<'YAML'
# Values of the shop app; promokit sets the image tag on every promotion.
image:
  repository: registry.example.com/shop/app
  tag: v1.0.0
replicas: 2
YAML
  git -C "$seed" add .
  git -C "$seed" -c user.name=example -c user.email=example@promokit.io commit -q -m "Seed the shop app"
  git -C "$seed" push -q "$repo" main
  rm -rf "$seed"
  log "created $repo"
fi

if [ -f "$state/daemon.pid" ] && kill -0 "$(cat "$state/daemon.pid")" 2>/dev/null; then
  port=$(cat "$state/daemon.port")
  log "already running (pid $(cat "$state/daemon.pid"))"
else
  listening() { { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null && { exec 3<&- 3>&-; return 0; }; return 1; }
  for _ in $(seq 1 20); do
    port=$(( 20000 + RANDOM % 30000 ))
    listening "$port" && continue
    setsid git daemon --reuseaddr --export-all --enable=receive-pack --informative-errors \
      --listen=127.0.0.1 --port="$port" --base-path="$state" "$state" >>"$state/daemon.log" 2>&1 </dev/null &
    echo $! > "$state/daemon.pid"
    for _ in $(seq 1 50); do listening "$port" && break; sleep 0.1; done
    if listening "$port"; then
      echo "$port" > "$state/daemon.port"
      break
    fi
    kill "$(cat "$state/daemon.pid")" 2>/dev/null || true
    rm -f "$state/daemon.pid"
  done
  [ -f "$state/daemon.pid" ] || { log "could not start git daemon (see $state/daemon.log)"; exit 1; }
  log "serving $state on git://127.0.0.1:$port/ (pid $(cat "$state/daemon.pid"); stop: $0 --stop $state)"
fi
log "try: ./promokit run examples/gitops-git/promote.yaml --var repoURL=git://127.0.0.1:$port/gitops.git --var imageTag=v2.0.0 --ctx promotion=demo-1"
echo "git://127.0.0.1:$port/gitops.git"
