#!/usr/bin/env bash
# Runs the official MCP conformance suite (@modelcontextprotocol/conformance, a
# devDependency) against the real server over Streamable HTTP:
#
#   npm run test:conformance
#
# Starts the server on a free loopback port, waits for /healthz, runs each scenario
# below, prints one line per scenario and `conformance: N passed, M failed`, stops the
# server, and exits non-zero when any scenario fails. A scenario passes when it reports
# at least one SUCCESS check and no FAILURE or WARNING check (warnings count: the suite
# reports e.g. "server gave no session id" as a warning, which would hide a regression).
# Both node processes load test/setup/network-guard.mjs, so nothing can connect beyond
# loopback. Per-scenario checks.json and logs go to CONFORMANCE_RESULTS (default: a
# temporary directory, removed on success and kept, with its path printed, on failure).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Scenarios any correct MCP server must pass (they use only what our server declares:
# tools, resources, prompts, logging; no fixture tool, resource or prompt names).
SCENARIOS=(
  server-initialize           # initialize + initialized handshake
  ping                        # ping -> {}
  logging-set-level           # logging/setLevel -> {}
  tools-list                  # every tool has name, description, inputSchema
  resources-list              # every resource has uri and name (template's list callback)
  prompts-list                # every prompt has name and description (triage_tickets)
  server-sse-multiple-streams # 3 concurrent POSTs on one session all answered
  dns-rebinding-protection    # Host/Origin evil.example.com -> 4xx; 127.0.0.1:PORT -> 2xx
)
# Excluded: each calls a tool, resource or prompt of the suite's own fixture server (the
# SDKs' "everything server"), by its fixed name; our ticket server has none of them and
# should not grow them for the suite. Against us they fail with "not found" (correctly),
# except the two marked "vacuous", which pass without testing anything.
#   completion-complete            completes arg of fixture prompt `test_prompt_with_arguments`
#                                  (we do declare completions, for triage_tickets and ticket ids)
#   tools-call-simple-text         fixture tool `test_simple_text`; vacuous: the SDK answers an
#                                  unknown tool with an isError text result, which satisfies it
#   tools-call-image               fixture tool `test_image_content`
#   tools-call-audio               fixture tool `test_audio_content`
#   tools-call-embedded-resource   fixture tool `test_embedded_resource`
#   tools-call-mixed-content       fixture tool `test_multiple_content_types`
#   tools-call-with-logging        fixture tool `test_tool_with_logging`
#   tools-call-error               fixture tool `test_error_handling`; vacuous, as above
#   tools-call-with-progress       fixture tool `test_tool_with_progress`
#   tools-call-sampling            fixture tool `test_sampling` (server-to-client sampling)
#   tools-call-elicitation         fixture tool `test_elicitation`
#   elicitation-sep1034-defaults   fixture tool `test_elicitation_sep1034_defaults`
#   elicitation-sep1330-enums      fixture tool `test_elicitation_sep1330_enums`
#   json-schema-2020-12            fixture tool `json_schema_2020_12_tool` (suite "pending")
#   server-sse-polling             fixture tool `test_reconnection` (suite "pending"); it also
#                                  warns that we send no SSE priming event/retry (no event store)
#   resources-read-text            fixture resource `test://static-text`
#   resources-read-binary          fixture resource `test://static-binary`
#   resources-templates-read       fixture template `test://template/{id}/data`
#   resources-subscribe            fixture `test://watched-resource`; we declare no subscribe
#   resources-unsubscribe          same
#   prompts-get-simple             fixture prompt `test_simple_prompt`
#   prompts-get-with-args          fixture prompt `test_prompt_with_arguments`
#   prompts-get-embedded-resource  fixture prompt `test_prompt_with_embedded_resource`
#   prompts-get-with-image         fixture prompt `test_prompt_with_image`

CLI=node_modules/@modelcontextprotocol/conformance/dist/index.js
GUARD=(--import tsx --import ./test/setup/network-guard.mjs)
# The CLI imports fs.globSync (Node 22+) at load time; the shim makes it start on Node 20.
SHIM=(--import ./scripts/conformance-shim.mjs)
STARTUP_SECONDS=30    # longest wait for /healthz
SCENARIO_SECONDS=30   # longest run of one scenario

TIMEOUT=()
command -v timeout >/dev/null && TIMEOUT=(timeout "$SCENARIO_SECONDS")

[[ -f $CLI ]] || { echo "conformance: $CLI missing; run npm ci" >&2; exit 1; }

results=${CONFORMANCE_RESULTS:-$(mktemp -d "${TMPDIR:-/tmp}/mcp-conformance.XXXXXX")}
mkdir -p "$results"
server_pid=""
failed=0
summarized=false

cleanup() {
  local status=$?
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    # The server drains and exits on SIGTERM; do not let a stuck one hold CI.
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ $status -eq 0 && -z ${CONFORMANCE_RESULTS:-} ]]; then
    rm -rf "$results"
  elif [[ $status -ne 0 && $summarized == false ]]; then
    echo "conformance: results and logs kept in $results" >&2
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port=$(node -e '
  const s = require("node:net").createServer();
  s.listen(0, "127.0.0.1", () => { process.stdout.write(String(s.address().port)); s.close(); });
')
base="http://127.0.0.1:$port"

# Explicit values (empty = the default) so a developer's shell or .env cannot change
# what is tested: loopback only, sessions on, no extra hosts or origins.
HOST=127.0.0.1 PORT=$port LOG_LEVEL=warn MCP_STATELESS=false ALLOWED_HOSTS= ALLOWED_ORIGINS= \
  node "${GUARD[@]}" server/src/main.ts >"$results/server.log" 2>&1 &
server_pid=$!

deadline=$((SECONDS + STARTUP_SECONDS))
until node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(1000) })
                 .then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$base/healthz"; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "conformance: the server exited during start-up:" >&2
    cat "$results/server.log" >&2
    exit 1
  fi
  if ((SECONDS >= deadline)); then
    echo "conformance: no answer from $base/healthz after ${STARTUP_SECONDS}s:" >&2
    cat "$results/server.log" >&2
    exit 1
  fi
  sleep 0.2
done

passed=0
for scenario in "${SCENARIOS[@]}"; do
  out="$results/$scenario"
  mkdir -p "$out"
  set +e
  ${TIMEOUT[@]+"${TIMEOUT[@]}"} node "${SHIM[@]}" "${GUARD[@]}" "$CLI" server \
    --url "$base/mcp" --scenario "$scenario" --output-dir "$out" >"$out/output.txt" 2>&1
  code=$?
  set -e
  # checks.json (written under $out/server-<scenario>-<timestamp>/) -> a first line
  # "SUCCESS FAILURE WARNING" counts, then one line per failed or warning check.
  report=$(node -e '
    const fs = require("node:fs"), path = require("node:path");
    const dir = process.argv[1];
    const run = fs.readdirSync(dir).find((d) => fs.existsSync(path.join(dir, d, "checks.json")));
    if (!run) { console.log("0 0 0\nno checks.json written"); process.exit(0); }
    const checks = JSON.parse(fs.readFileSync(path.join(dir, run, "checks.json"), "utf8"));
    const n = (s) => checks.filter((c) => c.status === s).length;
    console.log(`${n("SUCCESS")} ${n("FAILURE")} ${n("WARNING")}`);
    for (const c of checks.filter((c) => c.status === "FAILURE" || c.status === "WARNING")) {
      const why = c.errorMessage ?? JSON.stringify(c.details ?? {});
      console.log(`${c.status} ${c.id}: ${why}`.slice(0, 400));
    }
  ' "$out") || report=$'0 0 0\nunreadable checks.json'
  read -r ok bad warn <<<"$(head -n 1 <<<"$report")"
  if [[ $code -eq 0 && $ok -gt 0 && $bad -eq 0 && $warn -eq 0 ]]; then
    passed=$((passed + 1))
    printf '  PASS %-30s %s checks passed\n' "$scenario" "$ok"
  else
    failed=$((failed + 1))
    printf '  FAIL %-30s %s passed, %s failed, %s warnings, exit %s%s\n' "$scenario" "$ok" "$bad" "$warn" \
      "$code" "$([[ $code -eq 124 ]] && echo " (timed out after ${SCENARIO_SECONDS}s)")"
    tail -n +2 <<<"$report" | sed 's/^/      /'
    echo "      full output: $out/output.txt"
  fi
done

if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "conformance: the server died during the run:" >&2
  cat "$results/server.log" >&2
  failed=$((failed + 1))
fi

((failed == 0)) || echo "conformance: results and logs kept in $results"
summarized=true
echo "conformance: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
