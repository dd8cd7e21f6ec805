#!/usr/bin/env bash
# One MCP session over Streamable HTTP, by hand, with curl: what every MCP client does
# under the hood. Use it to see the protocol, or to debug a server without any SDK.
#
#   bash examples/curl/mcp-session.sh [URL]
#
# URL: the first argument, else $MCP_SERVER_URL, else http://localhost:8000/mcp (start
# the server first: npm start). MCP_TOKEN, when set, is sent as a bearer token. Steps:
#
#   0. GET  /mcp                        the "is it up?" check: a JSON note (status 406)
#   1. POST initialize                  opens a session: Mcp-Session-Id in the headers
#   2. POST notifications/initialized   a notification: 202 Accepted, no body
#   3. POST tools/list                  the three ticket tools
#   4. POST tools/call search_tickets   the seed's example: open critical security tickets
#   5. DELETE /mcp                      ends the session
#   6. POST tools/list, old session id  404 with a JSON-RPC error: the session is gone
#
# The headers that matter:
#   Accept: application/json, text/event-stream   on every POST (else 406)
#   Content-Type: application/json                 on every POST
#   Mcp-Session-Id: <from the initialize answer>   on every request after initialize
#   MCP-Protocol-Version: 2025-11-25               on every request after initialize
#
# Answers come in two shapes, told apart by their Content-Type: `text/event-stream`
# (Server-Sent Events, what this server sends for requests by default: lines
# `event: message` and `data: {...}`; the JSON is on the `data:` line) or
# `application/json` (errors such as 400/404, and servers in JSON-response mode).
# answer_json below reads both.
#
# jq pretty-prints the JSON when installed; without it (or with JQ= to try that path)
# the script still runs and checks everything with grep and sed. It exits non-zero, with
# the reason, at the first answer that is not what the protocol says.
set -euo pipefail

URL=${1:-${MCP_SERVER_URL:-http://localhost:8000/mcp}}
PROTOCOL_VERSION=2025-11-25
JQ=${JQ-$(command -v jq || true)}

command -v curl >/dev/null || { echo "mcp-session: curl is not installed" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/mcp-curl.XXXXXX")
session=""
cleanup() {
  local status=$?
  # A failed run still closes its session, so the server does not keep it until expiry.
  if [[ -n $session && $status -ne 0 ]]; then
    curl -s -o /dev/null --max-time 5 -X DELETE "$URL" \
      -H "Mcp-Session-Id: $session" -H "MCP-Protocol-Version: $PROTOCOL_VERSION" || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

step() { printf '\n── %s\n' "$*"; }
fail() {
  printf 'FAIL: %s\n' "$*" >&2
  [[ -s $work/body ]] && { echo "The answer was:" >&2; head -c 2000 "$work/body" >&2; echo >&2; }
  exit 1
}

# send METHOD [BODY]: one HTTP request with the session headers once there is a session.
# Leaves the status in $status, the response headers in $work/headers, the body in
# $work/body, and prints the request and the headers that matter.
send() {
  local method=$1 body=${2:-}
  local -a args=(-s -S --max-time 15 -X "$method" -D "$work/headers" -o "$work/body"
    -w '%{http_code}')
  if [[ $method == POST ]]; then
    args+=(-H "Content-Type: application/json"
      -H "Accept: application/json, text/event-stream"
      --data-binary "$body")
  fi
  # With authentication on (README, "Production"): MCP_TOKEN=... bash examples/curl/mcp-session.sh
  if [[ -n ${MCP_TOKEN:-} ]]; then
    args+=(-H "Authorization: Bearer $MCP_TOKEN")
  fi
  if [[ -n $session ]]; then
    args+=(-H "Mcp-Session-Id: $session" -H "MCP-Protocol-Version: $PROTOCOL_VERSION")
    printf '> %s %s  (Mcp-Session-Id: %s)\n' "$method" "$URL" "$session"
  else
    printf '> %s %s\n' "$method" "$URL"
  fi
  [[ -n $body ]] && printf '> %s\n' "$body"
  status=$(curl "${args[@]}" "$URL") || fail "curl could not reach $URL (is the server running? npm start)"
  local type
  type=$(header content-type)
  printf '< %s, Content-Type: %s\n' "$status" "${type:-(none)}"
}

# header NAME: a response header's value, empty when absent (case-insensitive name, CR
# stripped). Plain grep and sed, so it runs with macOS's bash 3.2 and BSD tools too.
header() {
  { grep -i "^$1:" "$work/headers" || true; } | tail -n 1 | sed 's/^[^:]*:[[:space:]]*//' | tr -d '\r'
}

# answer_json: the JSON-RPC message in the body, whether it came as SSE or plain JSON.
# An SSE body is `event: message` / `data: {...}` blocks; the JSON is each `data:` line
# (this server sends one message per request; keep the last, the response).
answer_json() {
  case $(header content-type) in
    text/event-stream*) sed -n 's/^data: \{0,1\}//p' "$work/body" | tr -d '\r' | tail -n 1 ;;
    *) cat "$work/body" ;;
  esac
}

# show JSON: pretty with jq, else the raw line (cut short).
show() {
  if [[ -n $JQ ]]; then "$JQ" . <<<"$1"; else printf '%s\n' "${1:0:1500}"; fi
}

# expect JSON PATTERN WHAT: fail unless the compact JSON contains PATTERN (a grep -E).
expect() {
  grep -Eq -- "$2" <<<"$1" || fail "$3 (expected '$2' in the answer)"
}

step "0. Is it up? GET $URL without 'Accept: text/event-stream' answers a JSON note"
status=$(curl -s -S --max-time 15 -o "$work/body" -w '%{http_code}' "$URL") ||
  fail "curl could not reach $URL (is the server running? npm start)"
printf '< %s\n' "$status"
note=$(cat "$work/body")
show "$note"
expect "$note" '"transport":"streamable-http"' "GET $URL did not answer with the endpoint note"

step "1. initialize: protocol version, client info, capabilities; opens a session"
send POST '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"'"$PROTOCOL_VERSION"'","capabilities":{},"clientInfo":{"name":"curl-example","version":"1.0.0"}}}'
[[ $status == 200 ]] || fail "initialize answered HTTP $status, expected 200"
session=$(header mcp-session-id)
[[ -n $session ]] || fail "no Mcp-Session-Id header in the initialize answer (a stateless server, MCP_STATELESS=true, opens no sessions)"
printf '< Mcp-Session-Id: %s   (send it with every later request)\n' "$session"
echo "< the raw SSE body (one event; the JSON is on the data: line):"
grep -v '^[[:space:]]*$' "$work/body" | cut -c 1-110 | sed 's/^/<   /'
init=$(answer_json)
echo "The JSON-RPC result, from the data: line:"
show "$init"
expect "$init" '"protocolVersion":"'"$PROTOCOL_VERSION"'"' "the server did not agree to protocol $PROTOCOL_VERSION"
expect "$init" '"serverInfo":\{"name":"[^"]+"' "no serverInfo in the initialize result"
expect "$init" '"tools":\{' "the server does not declare the tools capability"

step "2. notifications/initialized: a notification (no id), so no JSON-RPC answer"
send POST '{"jsonrpc":"2.0","method":"notifications/initialized"}'
[[ $status == 202 ]] || fail "notifications/initialized answered HTTP $status, expected 202 Accepted"
echo "< (202 Accepted, empty body: the session is ready)"

step "3. tools/list"
send POST '{"jsonrpc":"2.0","id":2,"method":"tools/list"}'
[[ $status == 200 ]] || fail "tools/list answered HTTP $status, expected 200"
tools=$(answer_json)
if [[ -n $JQ ]]; then
  "$JQ" -r '.result.tools[] | "  \(.name): \(.title)"' <<<"$tools"
else
  grep -o '"name":"[a-z_]*","title":"[^"]*"' <<<"$tools" | sed 's/"name":"\([^"]*\)","title":"\([^"]*\)"/  \1: \2/'
fi
for tool in search_tickets get_ticket ticket_stats; do
  expect "$tools" "\"name\":\"$tool\"" "tools/list has no $tool"
done

step "4. tools/call search_tickets with the seed's example filters"
send POST '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"search_tickets","arguments":{"status":"open","priority":"critical","category":"security"}}}'
[[ $status == 200 ]] || fail "tools/call answered HTTP $status, expected 200"
found=$(answer_json)
expect "$found" '"id":3' "the answer is not the response to request 3"
if grep -q '"isError":true' <<<"$found"; then fail "search_tickets answered with an error"; fi
expect "$found" '"structuredContent":\{"total":[1-9]' "search_tickets found no open critical security ticket"
expect "$found" '"ticket_id":"TKT-[0-9]+"' "no ticket ids in structuredContent"
echo "The text the model reads (result.content[0].text):"
if [[ -n $JQ ]]; then
  "$JQ" -r '.result.content[0].text' <<<"$found"
  echo "Programs read result.structuredContent: total $("$JQ" .result.structuredContent.total <<<"$found"), ids $("$JQ" -c '[.result.structuredContent.tickets[].ticket_id]' <<<"$found")"
else
  # Without jq: cut the first text block out and turn its \n escapes into newlines.
  sed 's/.*"content":\[{"type":"text","text":"//; s/"}\],"structuredContent".*//' <<<"$found" |
    awk '{ gsub(/\\n/, "\n"); gsub(/\\"/, "\""); print }'
  echo "Programs read result.structuredContent: ids $(grep -o '"ticket_id":"[^"]*"' <<<"$found" | cut -d'"' -f4 | tr '\n' ' ')"
fi

step "5. DELETE: end the session"
send DELETE
[[ $status == 200 ]] || fail "DELETE answered HTTP $status, expected 200"
closed=$session

step "6. The session is gone: tools/list with the old id gets 404 (a plain JSON answer)"
send POST '{"jsonrpc":"2.0","id":4,"method":"tools/list"}'
session=""
[[ $status == 404 ]] || fail "a request with the deleted session $closed answered HTTP $status, expected 404"
gone=$(answer_json)
show "$gone"
expect "$gone" '"error":\{' "the 404 carries no JSON-RPC error"

printf '\nOK: initialize, initialized, tools/list, tools/call and DELETE all answered as the protocol says.\n'
