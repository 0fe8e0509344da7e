#!/usr/bin/env bash
# Starts what the GitOps example needs, on this machine only:
#   - a git server: `git daemon` on 127.0.0.1 (a free port, anonymous reads and pushes; examples/git-daemon.sh)
#     serving the sample repository kargo-demo.git (branch main: a kustomize base with the guestbook app, and one overlay per stage);
#   - when a Docker daemon answers: the image of the example's custom step, promokit-example/busybox:1, built from
#     this machine's static BusyBox (apt-get install busybox-static), so nothing is pulled from a registry.
#
# Usage: examples/gitops/start.sh STATE_DIR          start (idempotent); prints the repository URL on stdout
#        examples/gitops/start.sh --stop STATE_DIR   stops the git daemon (the image stays)
# STATE_DIR holds the repository, the daemon's pid, port and log; it is created when missing.
set -euo pipefail

IMAGE=promokit-example/busybox:1
log() { printf 'gitops-example: %s\n' "$*" >&2; }

daemon="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/git-daemon.sh"
if [ "${1:-}" = "--stop" ]; then
  exec "$daemon" stop "${2:?usage: $0 --stop STATE_DIR}"
fi

state=${1:?usage: $0 STATE_DIR}
command -v git >/dev/null 2>&1 || { log "git is not installed (Debian: apt-get install git)"; exit 1; }
mkdir -p "$state"
state=$(cd "$state" && pwd)
repo="$state/kargo-demo.git"

seed_repository() {
  export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
  git init -q --bare --initial-branch=main "$repo"
  local seed
  seed=$(mktemp -d)
  git -C "$seed" init -q --initial-branch=main
  mkdir -p "$seed/base" "$seed/stages/test" "$seed/stages/prod"
  cat > "$seed/base/deployment.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: guestbook
spec:
  replicas: 1
  selector:
    matchLabels:
      app: guestbook
  template:
    metadata:
      labels:
        app: guestbook
    spec:
      containers:
      - name: guestbook
        image: ghcr.io/akuity/guestbook
        ports:
        - containerPort: 8080
YAML
  cat > "$seed/base/service.yaml" <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: guestbook
spec:
  selector:
    app: guestbook
  ports:
  - port: 80
    targetPort: 8080
YAML
  cat > "$seed/base/kustomization.yaml" <<'YAML'
# The app's base; the promotion sets the image tag here.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- deployment.yaml
- service.yaml
YAML
  for stage in test prod; do
    cat > "$seed/stages/$stage/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: kargo-demo-$stage
resources:
- ../../base
YAML
  done
  git -C "$seed" add .
  git -C "$seed" -c user.name=example -c user.email=example@promokit.io commit -q -m "The guestbook app"
  git -C "$seed" push -q "$repo" main
  rm -rf "$seed"
  log "created $repo"
}

build_image() {
  if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
    log "no Docker daemon answers: run the example with --runtime local"
    return
  fi
  if docker image inspect "$IMAGE" >/dev/null 2>&1; then
    return
  fi
  if [ ! -x /bin/busybox ] || ! /bin/busybox --list >/dev/null 2>&1; then
    log "image $IMAGE: needs a static BusyBox at /bin/busybox (Debian: apt-get install busybox-static);" \
        "until then run the example with --runtime local"
    return
  fi
  local root
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/etc" "$root/tmp"
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -f "$root/bin/busybox" "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' > "$root/etc/group"
  tar --numeric-owner -C "$root" -c . | docker import --change 'ENV PATH=/bin' - "$IMAGE" >/dev/null
  rm -rf "$root"
  log "built image $IMAGE from /bin/busybox"
}

[ -d "$repo" ] || seed_repository
port=$("$daemon" start "$state")
build_image
url="git://127.0.0.1:$port/kargo-demo.git"
log "run: ./promokit run examples/gitops/stage.yaml --steps examples/gitops/steps --var gitRepo=$url" \
    "--var syncArgoCD=false --ctx project=kargo-demo --ctx stage=test --ctx promotion=test.01"
echo "$url"
