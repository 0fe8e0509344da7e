#!/usr/bin/env bash
# Prepares (and tears down) what promokit's Docker tests need on this machine, idempotently:
#   - the Docker engine (apt-get install docker.io; dockerd started in the background when no daemon answers),
#   - two test images built from local files, never pulled from a public registry:
#       promokit-test/busybox:1  busybox-static with links for the usual tools, and /etc/passwd with nonroot (65532)
#       promokit-test/noshell:1  one static binary under a few names (echo, cat, cp, id, ls), no shell at all
#       promokit-test/setuid:1   the busybox image plus /usr/local/bin/setuid-probe, a static binary that is setuid
#                                root (built with gcc from scripts/test-images/setuid-probe.c): hardening tests
#   - a private registry with htpasswd credentials on 127.0.0.1, holding a copy of the busybox image.
# Before it reports ready it runs a container (docker run --rm of the busybox image): a daemon that answers
# but cannot start containers fails here, with its reason, rather than in the middle of the tests.
#
# State (pid files, logs, the registry's data and password, the exports) is kept PER CHECKOUT, in
# <checkout>/.promokit/test-env (git-ignored), and the registry's port is chosen per checkout: two checkouts
# on one machine each have their own registry, and one checkout's `stop` never stops what another started.
# The Docker daemon is machine-wide: when one already answers (started by anyone), it is used and left alone.
#
# Usage: scripts/test-env.sh start|stop|status|env
#   start   installs and starts what is missing, then prints the test settings as shell exports
#           (all progress goes to stderr, so `eval "$(scripts/test-env.sh start)"` works)
#   stop    stops only what `start` started from this checkout (dockerd, registry); images and state stay
#   status  says what is running and who started it
#   env     prints the exports again
#
# The settings are also written to $PROMOKIT_TEST_ENV_DIR/env (default <checkout>/.promokit/test-env/env);
# the Docker tests read them from the environment or, failing that, from that file.
# Environment knobs: PROMOKIT_TEST_ENV_DIR, PROMOKIT_TEST_REGISTRY_PORT (default: derived from the checkout's
# path, the first free port from there; kept in the state directory so it stays the same between runs).
set -euo pipefail

CHECKOUT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
STATE_DIR=${PROMOKIT_TEST_ENV_DIR:-$CHECKOUT/.promokit/test-env}
REGISTRY_USER=promokit
BUSYBOX_IMAGE=promokit-test/busybox:1
NOSHELL_IMAGE=promokit-test/noshell:1
SETUID_IMAGE=promokit-test/setuid:1
SCRIPT_DIR=$CHECKOUT/scripts

log() { printf 'test-env: %s\n' "$*" >&2; }

port_in_use() { { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null && { exec 3<&- 3>&-; return 0; }; return 1; }

# The registry's port: given, or remembered from an earlier start of this checkout, or the first free port from
# one derived from the checkout's path (so two checkouts start from different ports and never share one).
registry_port() {
  if [ -n "${PROMOKIT_TEST_REGISTRY_PORT:-}" ]; then echo "$PROMOKIT_TEST_REGISTRY_PORT"; return; fi
  if [ -s "$STATE_DIR/registry-port" ]; then cat "$STATE_DIR/registry-port"; return; fi
  local port=$((20000 + $(printf '%s' "$CHECKOUT" | cksum | cut -d' ' -f1) % 20000))
  while port_in_use "$port"; do port=$((port + 1)); done
  echo "$port"
}

die() { log "$*"; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root for: $* (run as root or install sudo)"
  fi
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

REGISTRY_PORT=$(registry_port)
REGISTRY="127.0.0.1:${REGISTRY_PORT}"
REGISTRY_IMAGE="${REGISTRY}/promokit-test/busybox:1"
MISSING_REGISTRY_IMAGE="${REGISTRY}/promokit-test/does-not-exist:1"

ensure_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  [ -x /bin/busybox ] || missing+=(busybox-static)
  command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
  command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)  # the Docker TLS test makes its certificates
  command -v gcc >/dev/null 2>&1 || missing+=(gcc)          # the setuid test image's probe
  [ -f /usr/lib/x86_64-linux-gnu/libc.a ] || [ -f /usr/lib/aarch64-linux-gnu/libc.a ] || missing+=(libc6-dev)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
}

ensure_dockerd() {
  if docker info >/dev/null 2>&1; then
    pid_alive "$STATE_DIR/dockerd.pid" && log "dockerd: running (started by this script)" \
      || log "dockerd: a daemon already answers; using it"
    return
  fi
  [ "$(id -u)" -eq 0 ] || die "no Docker daemon answers and only root can start one: start Docker, then rerun"
  log "dockerd: starting (log: $STATE_DIR/dockerd.log)"
  # setsid: the daemon outlives this script and is not killed with its process group.
  setsid dockerd >"$STATE_DIR/dockerd.log" 2>&1 < /dev/null &
  echo $! > "$STATE_DIR/dockerd.pid"
  for _ in $(seq 1 120); do
    docker info >/dev/null 2>&1 && { log "dockerd: ready"; return; }
    pid_alive "$STATE_DIR/dockerd.pid" || break
    sleep 0.5
  done
  tail -n 20 "$STATE_DIR/dockerd.log" >&2 || true
  die "dockerd did not become ready (see $STATE_DIR/dockerd.log)"
}

# Writes a minimal /etc with root and the distroless "nonroot" user.
write_etc() {
  mkdir -p "$1/etc"
  printf 'root:x:0:0:root:/root:/bin/sh\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$1/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' > "$1/etc/group"
  mkdir -p "$1/tmp" "$1/home/nonroot" "$1/root"
  chmod 1777 "$1/tmp"
  chown 65532:65532 "$1/home/nonroot" 2>/dev/null || chmod 0777 "$1/home/nonroot"
}

build_image() { # name folder
  tar --numeric-owner -C "$2" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$1" >/dev/null
}

ensure_images() {
  local root
  if ! docker image inspect "$BUSYBOX_IMAGE" >/dev/null 2>&1; then
    log "image $BUSYBOX_IMAGE: building from /bin/busybox"
    root=$(mktemp -d)
    mkdir -p "$root/bin"
    cp /bin/busybox "$root/bin/busybox"
    for applet in $(/bin/busybox --list); do
      [ "$applet" = busybox ] || ln -f "$root/bin/busybox" "$root/bin/$applet"
    done
    write_etc "$root"
    build_image "$BUSYBOX_IMAGE" "$root"
    rm -rf "$root"
  fi
  if ! docker image inspect "$NOSHELL_IMAGE" >/dev/null 2>&1; then
    log "image $NOSHELL_IMAGE: building (one static binary, no shell)"
    root=$(mktemp -d)
    mkdir -p "$root/bin"
    cp /bin/busybox "$root/bin/echo"
    for name in cat cp id ls; do ln -f "$root/bin/echo" "$root/bin/$name"; done
    write_etc "$root"
    build_image "$NOSHELL_IMAGE" "$root"
    rm -rf "$root"
  fi
  if ! docker image inspect "$SETUID_IMAGE" >/dev/null 2>&1; then
    log "image $SETUID_IMAGE: building (busybox plus a static setuid-root probe)"
    root=$(mktemp -d)
    mkdir -p "$root/bin" "$root/usr/local/bin"
    cp /bin/busybox "$root/bin/busybox"
    for applet in $(/bin/busybox --list); do
      [ "$applet" = busybox ] || ln -f "$root/bin/busybox" "$root/bin/$applet"
    done
    write_etc "$root"
    gcc -static -O2 -o "$root/usr/local/bin/setuid-probe" "$SCRIPT_DIR/test-images/setuid-probe.c"
    as_root chown 0:0 "$root/usr/local/bin/setuid-probe"
    chmod 4755 "$root/usr/local/bin/setuid-probe"
    build_image "$SETUID_IMAGE" "$root"
    rm -rf "$root"
  fi
}

# A daemon can answer `docker info` and still fail to start containers (no cgroups, a broken runtime, a full
# disk): prove it with a real one before any test relies on it.
prove_container_starts() {
  local out
  if out=$(timeout 60 docker run --rm --network none "$BUSYBOX_IMAGE" echo promokit-test-env-ok 2>&1) \
      && [ "$out" = promokit-test-env-ok ]; then
    log "dockerd: runs containers ($BUSYBOX_IMAGE answered)"
  else
    [ -f "$STATE_DIR/dockerd.log" ] && tail -n 20 "$STATE_DIR/dockerd.log" >&2
    die "dockerd answers but cannot run a container: docker run --rm $BUSYBOX_IMAGE said: ${out:-nothing}"
  fi
}

registry_answers() { # prints the HTTP status line of GET /v2/
  { exec 3<>"/dev/tcp/127.0.0.1/${REGISTRY_PORT}"; } 2>/dev/null || return 1
  printf 'GET /v2/ HTTP/1.0\r\nHost: %s\r\n\r\n' "$REGISTRY" >&3
  local status
  IFS= read -r -t 5 status <&3 || status=
  exec 3<&- 3>&-
  printf '%s' "$status"
}

ensure_registry() {
  if [ ! -f "$STATE_DIR/registry-password" ]; then
    (umask 077; head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$STATE_DIR/registry-password")
  fi
  local password
  password=$(cat "$STATE_DIR/registry-password")
  if pid_alive "$STATE_DIR/registry.pid"; then
    log "registry: running on $REGISTRY (started by this script)"
  else
    if [ -n "$(registry_answers || true)" ]; then
      die "registry: port $REGISTRY_PORT is taken by another process; set PROMOKIT_TEST_REGISTRY_PORT"
    fi
    echo "$REGISTRY_PORT" > "$STATE_DIR/registry-port"
    htpasswd -Bbn "$REGISTRY_USER" "$password" > "$STATE_DIR/htpasswd" 2>/dev/null
    mkdir -p "$STATE_DIR/registry-data"
    cat > "$STATE_DIR/registry.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STATE_DIR/registry-data
http:
  addr: $REGISTRY
auth:
  htpasswd:
    realm: promokit-test
    path: $STATE_DIR/htpasswd
YAML
    log "registry: starting on $REGISTRY (log: $STATE_DIR/registry.log)"
    setsid docker-registry serve "$STATE_DIR/registry.yml" >"$STATE_DIR/registry.log" 2>&1 < /dev/null &
    echo $! > "$STATE_DIR/registry.pid"
    local status=
    for _ in $(seq 1 60); do
      status=$(registry_answers || true)
      [ -n "$status" ] && break
      sleep 0.25
    done
    case "$status" in
      *" 401"*) log "registry: ready, asks for credentials" ;;
      *) tail -n 20 "$STATE_DIR/registry.log" >&2 || true; die "registry did not answer as expected: '${status}'" ;;
    esac
  fi
  # Push with a private Docker config so that ~/.docker/config.json never learns these credentials.
  mkdir -p "$STATE_DIR/docker-config"
  printf '%s' "$password" | DOCKER_CONFIG="$STATE_DIR/docker-config" \
    docker login "$REGISTRY" -u "$REGISTRY_USER" --password-stdin >/dev/null 2>&1 \
    || die "docker login $REGISTRY failed"
  docker tag "$BUSYBOX_IMAGE" "$REGISTRY_IMAGE"
  DOCKER_CONFIG="$STATE_DIR/docker-config" docker push -q "$REGISTRY_IMAGE" >/dev/null \
    || die "docker push $REGISTRY_IMAGE failed (see $STATE_DIR/registry.log)"
  # The tests pull it back: they must not find it locally.
  docker rmi "$REGISTRY_IMAGE" >/dev/null
  log "registry: holds $REGISTRY_IMAGE"
}

write_env() {
  local password
  password=$(cat "$STATE_DIR/registry-password")
  cat > "$STATE_DIR/env" <<ENV
export PROMOKIT_TEST_IMAGE='$BUSYBOX_IMAGE'
export PROMOKIT_TEST_NOSHELL_IMAGE='$NOSHELL_IMAGE'
export PROMOKIT_TEST_SETUID_IMAGE='$SETUID_IMAGE'
export PROMOKIT_TEST_REGISTRY='$REGISTRY'
export PROMOKIT_TEST_REGISTRY_USER='$REGISTRY_USER'
export PROMOKIT_TEST_REGISTRY_PASSWORD='$password'
export PROMOKIT_TEST_REGISTRY_IMAGE='$REGISTRY_IMAGE'
export PROMOKIT_TEST_REGISTRY_MISSING_IMAGE='$MISSING_REGISTRY_IMAGE'
export PROMOKIT_TEST_ENV_DIR='$STATE_DIR'
ENV
  chmod 600 "$STATE_DIR/env"
}

start() {
  mkdir -p "$STATE_DIR"
  ensure_packages
  ensure_dockerd
  ensure_images
  prove_container_starts
  ensure_registry
  write_env
  cat "$STATE_DIR/env"
}

stop_pid() { # name pidfile
  if pid_alive "$2"; then
    local pid
    pid=$(cat "$2")
    log "$1: stopping (pid $pid)"
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { log "$1: still running, killing"; kill -9 "$pid"; }
  else
    log "$1: not started from this checkout ($STATE_DIR); left alone"
  fi
  rm -f "$2"
}

stop() {
  stop_pid registry "$STATE_DIR/registry.pid"
  stop_pid dockerd "$STATE_DIR/dockerd.pid"
}

status() {
  if docker info >/dev/null 2>&1; then
    pid_alive "$STATE_DIR/dockerd.pid" && echo "dockerd: running (started by test-env.sh)" || echo "dockerd: running (not ours)"
  else
    echo "dockerd: not answering"
  fi
  for image in "$BUSYBOX_IMAGE" "$NOSHELL_IMAGE" "$SETUID_IMAGE"; do
    docker image inspect "$image" >/dev/null 2>&1 && echo "image $image: present" || echo "image $image: missing"
  done
  pid_alive "$STATE_DIR/registry.pid" && echo "registry: running on $REGISTRY (state: $STATE_DIR)" \
    || echo "registry: not running for this checkout (state: $STATE_DIR)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) [ -f "$STATE_DIR/env" ] && cat "$STATE_DIR/env" || die "not started: run $0 start" ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
