#!/usr/bin/env bash
# The MCP Inspector's CLI mode against our server, over Streamable HTTP and over stdio:
#
#   npm run test:inspector              starts the server on a free loopback port
#   bash scripts/inspector-check.sh URL checks a server already running at URL
#
# Runs `mcp-inspector-cli --cli` (@modelcontextprotocol/inspector-cli, a devDependency:
# the CLI half of the MCP Inspector, no browser UI) four times, in parallel:
#
#   http   tools/list                                     the three ticket tools
#   http   tools/call search_tickets status=open priority=critical category=security
#   stdio  tools/list       server "tickets-stdio" of examples/clients/inspector.json
#                           (the Inspector runs npm run --silent start:stdio)
#   stdio  tools/call search_tickets status=open, the server given after `--`:
#                           node --import tsx ../server/src/main.ts --stdio
#
# and checks each JSON answer; prints PASS/FAIL per check and exits non-zero on any
# failure. The same commands work by hand; see examples/clients/README.md.
#
# Why `cd examples`: inspector-cli 1.0.3 reads its own package.json through a path it
# tests against the *working directory* ("../package.json", modelcontextprotocol/
# inspector#1334), so it fails with "Cannot find module .../package.json" unless the
# parent of the working directory holds a package.json. Any subdirectory of this repo
# satisfies that.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
CLI=$repo/node_modules/@modelcontextprotocol/inspector-cli/build/cli.js
STARTUP_SECONDS=30   # longest wait for /healthz
CALL_SECONDS=60      # longest run of one CLI call (a few seconds normally)

[[ -f $CLI ]] || { echo "inspector-check: $CLI missing; run npm ci" >&2; exit 1; }
TIMEOUT=()
command -v timeout >/dev/null && TIMEOUT=(timeout "$CALL_SECONDS")

work=$(mktemp -d "${TMPDIR:-/tmp}/mcp-inspector.XXXXXX")
server_pid=""
cleanup() {
  local status=$?
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

url=${1:-}
if [[ -z $url ]]; then
  port=$(node -e '
    const s = require("node:net").createServer();
    s.listen(0, "127.0.0.1", () => { process.stdout.write(String(s.address().port)); s.close(); });
  ')
  url="http://127.0.0.1:$port/mcp"
  HOST=127.0.0.1 PORT=$port LOG_LEVEL=warn MCP_STATELESS=false ALLOWED_HOSTS='' ALLOWED_ORIGINS='' \
    node --import tsx server/src/main.ts >"$work/server.log" 2>&1 &
  server_pid=$!
  # Poll /healthz until the server answers (no fixed sleep: start-up time varies).
  deadline=$((SECONDS + STARTUP_SECONDS))
  until node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(1000) })
                   .then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
    "http://127.0.0.1:$port/healthz"; do
    if ! kill -0 "$server_pid" 2>/dev/null || ((SECONDS >= deadline)); then
      echo "inspector-check: the server did not start:" >&2
      cat "$work/server.log" >&2
      exit 1
    fi
    sleep 0.2
  done
fi
echo "inspector-check: $url and stdio (examples/clients/inspector.json)"

# inspect NAME ARGS...: one CLI run in the background; stdout (the JSON) to NAME.json.
pids=()
inspect() {
  local name=$1
  shift
  (
    set +e # record the exit code, whatever it is
    cd "$repo/examples" || exit
    LOG_LEVEL=warn ${TIMEOUT[@]+"${TIMEOUT[@]}"} node "$CLI" --cli "$@" \
      >"$work/$name.json" 2>"$work/$name.err"
    echo $? >"$work/$name.rc"
  ) &
  pids+=($!)
}
SEED=(--tool-name search_tickets --tool-arg status=open priority=critical category=security)
STDIO=(--config clients/inspector.json --server tickets-stdio)
inspect http-list "$url" --transport http --method tools/list
inspect http-call "$url" --transport http --method tools/call "${SEED[@]}"
inspect stdio-list "${STDIO[@]}" --method tools/list
# The same server spawned without the config file: the command after `--`. The variadic
# --tool-arg goes before the other options, or it swallows the command's words.
inspect stdio-call -e TICKETS_FILE=../data/requests.xls --tool-arg status=open \
  --tool-name search_tickets --method tools/call -- node --import tsx ../server/src/main.ts --stdio
wait "${pids[@]}" || true

# check NAME WHAT JS: passes when the CLI exited 0 and JS (given `r`, the parsed JSON)
# returns true.
failed=0
check() {
  local name=$1 what=$2 js=$3 rc
  rc=$(cat "$work/$name.rc" 2>/dev/null || echo "?")
  if [[ $rc == 0 ]] && node -e '
      const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
      process.exit(('"$js"') ? 0 : 1);' "$work/$name.json" 2>/dev/null; then
    printf '  PASS %-10s %s\n' "$name" "$what"
  else
    failed=$((failed + 1))
    printf '  FAIL %-10s %s (exit %s%s)\n' "$name" "$what" "$rc" \
      "$([[ $rc == 124 ]] && echo ", timed out after ${CALL_SECONDS}s")"
    head -c 1500 "$work/$name.json" | sed 's/^/      /'
    echo
    grep -v -e '^$' -e 'deprecated' -e 'Upgrade:' -e 'security fixes only' "$work/$name.err" |
      head -n 20 | sed 's/^/      /' || true
  fi
}
TOOLS='["search_tickets","get_ticket","ticket_stats"].every((n) => r.tools.some((t) => t.name === n))'
check http-list "tools/list: search_tickets, get_ticket, ticket_stats" "$TOOLS"
check http-call "tools/call search_tickets, the seed's filters: open critical security tickets" \
  '!r.isError && r.structuredContent.total >= 1 && r.structuredContent.tickets.every((t) => t.status === "open" && t.priority === "critical" && t.category === "security")'
check stdio-list "tools/list over stdio (inspector.json)" "$TOOLS"
check stdio-call "tools/call search_tickets status=open over stdio (-- node ...)" \
  '!r.isError && r.structuredContent.total >= 1 && r.structuredContent.tickets.every((t) => t.status === "open")'

if ((failed > 0)); then
  [[ -s $work/server.log ]] && { echo "server log:"; sed 's/^/      /' "$work/server.log"; }
  echo "inspector-check: $failed of 4 checks failed"
  exit 1
fi
echo "inspector-check: 4 passed"
