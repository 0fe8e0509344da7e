#!/usr/bin/env bash
# Starts a local git server for the gitops-git example: a bare repository "gitops.git" with a Helm values
# file, served by git's own `git daemon` on 127.0.0.1 (a free port; examples/git-daemon.sh), anonymous reads and
# pushes.
#
# Usage: examples/gitops-git/start-git-server.sh STATE_DIR     start; prints the repository URL on stdout
#        examples/gitops-git/start-git-server.sh --stop STATE_DIR
# STATE_DIR holds the repository, the daemon's pid and log; it is created when missing.
set -euo pipefail

log() { printf 'git-server: %s\n' "$*" >&2; }

daemon="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/git-daemon.sh"
if [ "${1:-}" = "--stop" ]; then
  exec "$daemon" stop "${2:?usage: $0 --stop STATE_DIR}"
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

port=$("$daemon" start "$state")
log "try: ./promokit run examples/gitops-git/promote.yaml --var repoURL=git://127.0.0.1:$port/gitops.git --var imageTag=v2.0.0 --ctx promotion=demo-1"
echo "git://127.0.0.1:$port/gitops.git"
