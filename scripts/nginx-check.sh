#!/usr/bin/env bash
# Runs a full MCP session through nginx with our site file over HTTPS:
#
#   npm run test:nginx          (bash scripts/nginx-check.sh)
#
# Installs nginx from Debian when it is missing (root only), makes a self-signed
# certificate for localhost, starts two replicas of the server on two free loopback
# ports (with a static token file and OAuth configured, as in production), renders
# deploy/nginx/mcp-tickets.conf for loopback ports, both replicas and the test
# certificate (every other line as written), starts nginx with its own prefix, pid and
# logs in a temporary directory, and runs scripts/nginxSession.ts against it:
# initialize, tools, SSE on POST and GET, HTTP/2, body limits, /metrics hidden, 2025
# sessions each kept on one replica, 2026-07-28 requests spread over both, buffering
# (against a second nginx with the same site in front of a stand-in upstream). Then it
# stops both replicas (each must exit 0) and checks nginx's answer while they are down. One line per check, then
# `nginx-check: N passed, M failed`; exits non-zero when any check failed. Logs go to
# NGINX_CHECK_DIR (default: a temporary directory, removed on success, kept on failure).
# NGINX_CHECK_SITE tests another site file (default: deploy/nginx/mcp-tickets.conf).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

SITE=${NGINX_CHECK_SITE:-deploy/nginx/mcp-tickets.conf}
GUARD=(--import tsx --import ./test/setup/network-guard.mjs)
STARTUP_SECONDS=30
SESSION_SECONDS=90

# The production values in $SITE that the test replaces, each of which must be there:
# a change to the site that moves one of them should fail here, not test something else.
PROD_UPSTREAM="server 127.0.0.1:8000;"
PROD_NAME="tickets.example.com"
PROD_CERT="/etc/letsencrypt/live/tickets.example.com/fullchain.pem"
PROD_KEY="/etc/letsencrypt/live/tickets.example.com/privkey.pem"

log() { echo "nginx-check: $*"; }

if ! command -v nginx >/dev/null; then
  if [[ $EUID -ne 0 ]]; then
    log "nginx is not installed; as root: apt-get install -y nginx-light" >&2
    exit 1
  fi
  log "installing nginx from Debian"
  # nginx-light is the smallest build on Debian 12; later releases have only nginx.
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends nginx-light >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y --no-install-recommends nginx-light >/dev/null; } ||
    apt-get install -y --no-install-recommends nginx >/dev/null ||
    { log "could not install nginx with apt-get" >&2; exit 1; }
fi
command -v openssl >/dev/null || { log "openssl is missing" >&2; exit 1; }

work=${NGINX_CHECK_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/nginx-check.XXXXXX")}
mkdir -p "$work"
# nginx's workers run as nobody when started by root; let them reach their temp paths.
chmod 755 "$work"
server_pids=()
summarized=false
nginx_prefixes=()

stop_pid() { # pid seconds: TERM, wait, then KILL
  local pid=$1 tries=$(($2 * 10))
  kill -TERM "$pid" 2>/dev/null || return 0
  while ((tries-- > 0)) && kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  for prefix in ${nginx_prefixes[@]+"${nginx_prefixes[@]}"}; do
    [[ -f $prefix/nginx.pid ]] && stop_pid "$(cat "$prefix/nginx.pid")" 5
  done
  for pid in ${server_pids[@]+"${server_pids[@]}"}; do
    if kill -0 "$pid" 2>/dev/null; then
      stop_pid "$pid" 10
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [[ $status -eq 0 && -z ${NGINX_CHECK_DIR:-} ]]; then
    rm -rf "$work"
  elif [[ $status -ne 0 && $summarized == false ]]; then
    log "logs kept in $work" >&2
    echo "nginx-check: 0 passed, 1 failed (set-up failed, see above)"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

started=$SECONDS

# Seven free loopback ports: two replicas, nginx HTTPS and HTTP, and the same for the
# probe (one stand-in upstream).
read -r up up2 tls plain probe_up probe_tls probe_plain < <(node -e '
  const net = require("node:net");
  const servers = Array.from({ length: 7 }, () => net.createServer());
  Promise.all(servers.map((s) => new Promise((r) => s.listen(0, "127.0.0.1", r)))).then(() => {
    console.log(servers.map((s) => s.address().port).join(" "));
    servers.forEach((s) => s.close());
  });
')

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1

# A static token in the tokens-file format: the session proves Authorization gets
# through nginx. OAuth is configured too, for its metadata and WWW-Authenticate pointer
# (checked through nginx); its JWKS URL is never fetched, as no JWT is presented.
token=$(node -e 'process.stdout.write("mcpt_" + require("node:crypto").randomBytes(32).toString("base64url"))')
TOKEN="$token" node -e '
  const hash = require("node:crypto").createHash("sha256").update(process.env.TOKEN).digest("hex");
  const file = { tokens: [{ name: "nginx-check", role: "agent", sha256: hash }] };
  require("node:fs").writeFileSync(process.argv[1], JSON.stringify(file, null, 2));
' "$work/tokens.json"

# start_replica PORT: one server process; both replicas get the same environment. The
# rate limit stays on at its default rate, with a burst of 300 instead of 60: the
# session checks send some 130 requests with one token within a few seconds.
# Explicit values (empty = the default) so a developer's shell or .env cannot change
# what is tested. nginx forwards Host: localhost (accepted anyway; in production the
# public name goes in ALLOWED_HOSTS) and X-Forwarded-* from loopback.
start_replica() {
  HOST=127.0.0.1 PORT=$1 LOG_LEVEL=warn LOG_FILE='' MCP_STATELESS=false \
    ALLOWED_HOSTS=localhost ALLOWED_ORIGINS='' TRUST_PROXY=loopback MAX_BODY_BYTES=262144 \
    SHUTDOWN_TIMEOUT_SECONDS=5 PUBLIC_URL="https://localhost:$tls" \
    AUTH_TOKENS_FILE="$work/tokens.json" OAUTH_ISSUER=https://issuer.localhost \
    OAUTH_JWKS_URL=http://127.0.0.1:9/jwks.json OAUTH_AUDIENCE='' \
    ALLOW_UNAUTHENTICATED_REMOTE=false RATE_LIMIT_PER_MINUTE='' RATE_LIMIT_BURST=300 \
    node "${GUARD[@]}" server/src/main.ts >"$work/server-$1.log" 2>&1 &
  server_pids+=($!)
}
start_replica "$up"
start_replica "$up2"

# render SITE OUT "UPSTREAM_PORT..." TLS_PORT HTTP_PORT: the site for loopback, the
# given upstream servers and the test certificate. IPv6 listens are dropped (CI
# containers may have no IPv6).
render() {
  local out=$2 servers="" port
  for port in $3; do servers+="server 127.0.0.1:$port; "; done
  local -a pairs=(
    "$PROD_UPSTREAM" "$servers"
    "listen 443 ssl http2;" "listen 127.0.0.1:$4 ssl http2;"
    "listen 80;" "listen 127.0.0.1:$5;"
    "$PROD_CERT" "$work/cert.pem"
    "$PROD_KEY" "$work/key.pem"
    "$PROD_NAME" "localhost"
  )
  local text
  text=$(<"$1")
  for ((i = 0; i < ${#pairs[@]}; i += 2)); do
    if [[ $text != *"${pairs[i]}"* ]]; then
      log "$1 no longer contains '${pairs[i]}'; update PROD_* / render() in $0" >&2
      return 1
    fi
    text=${text//"${pairs[i]}"/"${pairs[i + 1]}"}
  done
  grep -v '^ *listen \[::\]' <<<"$text" >"$out"
}

# start_nginx DIR "UPSTREAM_PORT..." TLS_PORT HTTP_PORT
start_nginx() {
  local dir=$1
  mkdir -p "$dir"
  chmod 755 "$dir"
  render "$SITE" "$dir/site.conf" "$2" "$3" "$4"
  cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 256; }
http {
    # What nginxSession.ts reads to see which replica answered a request.
    log_format replicas '\$http_mcp_protocol_version|\$status|\$upstream_addr';
    access_log $dir/access.log replicas;
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    include $dir/site.conf;
}
EOF
  nginx_prefixes+=("$dir")
  if ! nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" -q -t 2>"$dir/test.log" ||
    ! nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" 2>>"$dir/test.log"; then
    log "nginx would not start with $SITE:" >&2
    cat "$dir/test.log" >&2
    return 1
  fi
}

start_nginx "$work/nginx" "$up $up2" "$tls" "$plain"
start_nginx "$work/probe" "$probe_up" "$probe_tls" "$probe_plain"
# nginx -t's warnings (e.g. the deprecated http2 parameter on nginx >= 1.25.1) are shown.
grep -h . "$work/nginx/test.log" 2>/dev/null | sed 's/^/  nginx -t: /' || true

deadline=$((SECONDS + STARTUP_SECONDS))
for i in 0 1; do
  port=$([[ $i -eq 0 ]] && echo "$up" || echo "$up2")
  until node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(1000) })
                   .then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
    "http://127.0.0.1:$port/healthz"; do
    if ! kill -0 "${server_pids[i]}" 2>/dev/null || ((SECONDS >= deadline)); then
      log "the replica on :$port did not start:" >&2
      cat "$work/server-$port.log" >&2
      exit 1
    fi
    sleep 0.2
  done
done
log "nginx $(nginx -v 2>&1 | sed 's/.*nginx\///') on https://localhost:$tls, replicas on :$up and :$up2"

results="$work/results.txt"
: >"$results"
TIMEOUT=()
command -v timeout >/dev/null && TIMEOUT=(timeout "$SESSION_SECONDS")
# client MODE ARGS...: runs nginxSession.ts, its lines to the screen and $results. A run
# that exits non-zero without a FAIL line of its own (a crash) counts as one failure.
client() {
  local before code
  before=$(grep -c '^  FAIL ' "$results" || true)
  set +e
  NODE_EXTRA_CA_CERTS="$work/cert.pem" MCP_TOKEN="$token" ${TIMEOUT[@]+"${TIMEOUT[@]}"} \
    node "${GUARD[@]}" scripts/nginxSession.ts "$@" 2>>"$work/client.log" | tee -a "$results"
  code=${PIPESTATUS[0]}
  set -e
  if [[ $code -ne 0 && $(grep -c '^  FAIL ' "$results" || true) -eq $before ]]; then
    echo "  FAIL nginxSession.ts $1: exit code $code (stderr below)" | tee -a "$results"
  fi
}

client session --base "https://localhost:$tls" --http "http://localhost:$plain" \
  --upstream "http://127.0.0.1:$up" --probe "https://localhost:$probe_tls" \
  --probe-upstream-port "$probe_up" --replicas "http://127.0.0.1:$up,http://127.0.0.1:$up2" \
  --access-log "$work/nginx/access.log"

# SIGTERM: each replica drains and exits 0 (what systemd, supervisor and Docker send).
for i in 0 1; do
  pid=${server_pids[i]}
  port=$([[ $i -eq 0 ]] && echo "$up" || echo "$up2")
  kill -TERM "$pid"
  code=0
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "  FAIL replica :$port exits on SIGTERM: still running after 10 s" | tee -a "$results"
  else
    wait "$pid" || code=$?
    if [[ $code -eq 0 ]]; then
      echo "  PASS replica :$port exits 0 on SIGTERM" | tee -a "$results"
    else
      echo "  FAIL replica :$port exits 0 on SIGTERM: exit code $code" | tee -a "$results"
    fi
  fi
done
server_pids=()

client down --base "https://localhost:$tls"

passed=$(grep -c '^  PASS ' "$results" || true)
skipped=$(grep -c '^  SKIP ' "$results" || true)
failed=$(grep -c '^  FAIL ' "$results" || true)
if [[ -s $work/client.log ]]; then
  log "client stderr:" && sed 's/^/  /' "$work/client.log"
fi
if ((passed == 0)); then failed=$((failed + 1)); fi # nothing ran: a failure too
((failed == 0)) || log "logs kept in $work (server-PORT.log, nginx/error.log, nginx/access.log)"
summarized=true
log "took $((SECONDS - started)) s"
echo "nginx-check: $passed passed, $failed failed$( ((skipped > 0)) && echo ", $skipped skipped (reason on its line)")"
[[ $failed -eq 0 ]]
