/**
 * `npm run agent` as a user runs it: a real process against the real server over HTTP,
 * with the offline model (no key, no network).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { hashToken } from "../../server/src/auth/staticTokens.js";
import { loadMemoryStore } from "../../server/src/sources/loadStore.js";
import { startTestServer, type TestServer } from "../../test/helpers/server.js";
import { runNode, type Result } from "./support/process.js";

let srv: TestServer;
before(async () => {
  srv = await startTestServer(await loadMemoryStore("data/requests.xls"));
});
after(() => srv.close());

const node = runNode;

function agent(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<Result> {
  return node("agent/src/cli.ts", args, { MCP_SERVER_URL: srv.url, ...env }, stdin);
}

describe("one question", () => {
  test("answers the seed's question in Russian, with one offline line on stderr", async () => {
    const r = await agent(["Найди все критические тикеты по безопасности со статусом open"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stderr,
      "Offline mode: a built-in rule-based model answers (servers: tickets-http). " +
        "For a real model set OPENAI_API_KEY (see --help).\n",
    );
    assert.match(r.stdout, /TKT-\d{4}/);
    assert.match(r.stdout, /[а-яё]/i);
    const quiet = await agent(["--quiet", "open tickets"]);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stderr, "", "--quiet drops the line");
    assert.match(quiet.stdout, /TKT-\d{4}/);
  });

  test("--json prints the answer, the model and every tool call", async () => {
    const r = await agent(["--json", "Find all tickets of user user123"]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /Offline mode/, "--json keeps stderr quiet");
    const out = JSON.parse(r.stdout) as {
      answer: string;
      model: string;
      offline: boolean;
      tool_calls: {
        server: string;
        tool: string;
        arguments: unknown;
        ok: boolean;
        result_chars: number;
        ms: number;
      }[];
    };
    assert.equal(out.model, "offline (rule-based)");
    assert.equal(out.offline, true);
    assert.equal(out.tool_calls.length, 1);
    const call = out.tool_calls[0]!;
    assert.deepEqual(
      { server: call.server, tool: call.tool, arguments: call.arguments, ok: call.ok },
      {
        server: "tickets-http",
        tool: "search_tickets",
        arguments: { user_id: "user123", limit: 100 },
        ok: true,
      },
    );
    assert.ok(call.result_chars > 0 && call.ms >= 0);
    assert.match(out.answer, /user123/);
  });

  test("--verbose prints each tool call with arguments and timing", async () => {
    const r = await agent(["--verbose", "Show me medium priority tickets"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /tool tickets-http\/search_tickets \{"priority":"medium"\} -> \d+ chars, \d+ ms/,
    );
  });
});

describe("failures are one clear line and a non-zero exit", () => {
  test("server unreachable names the URL and how to start it", async () => {
    const s = net.createServer();
    await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
    const { port } = s.address() as net.AddressInfo;
    await new Promise((resolve) => s.close(resolve));
    const url = `http://127.0.0.1:${port}/mcp`;
    const r = await agent(["--json", "open tickets"], { MCP_SERVER_URL: url });
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr.trim(),
      `Cannot reach MCP server "tickets-http" at ${url}. Start it with: PORT=${port} npm start ` +
        "(a server on another port: MCP_SERVER_URL=http://localhost:PORT/mcp npm run agent)",
    );
    assert.equal(r.stdout, "");
  });

  test("a server that wants a token says so, not 'cannot reach'", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "agent-auth-"));
    const tokens = path.join(dir, "tokens.json");
    writeFileSync(
      tokens,
      JSON.stringify({ tokens: [{ name: "a", role: "agent", sha256: hashToken("secret-1") }] }),
    );
    const locked = await startTestServer(await loadMemoryStore("data/requests.xls"), {
      AUTH_TOKENS_FILE: tokens,
    });
    try {
      const r = await agent(["open tickets"], { MCP_SERVER_URL: locked.url });
      assert.equal(r.code, 2);
      assert.match(
        r.stderr,
        /wants a valid bearer token \(401\)\. Add "headers": \{"Authorization": "Bearer <token>"\}/,
      );
    } finally {
      await locked.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a bad config file: the path, the problem, the fix", async () => {
    const r = await agent(["--config", "agent/nope.json", "open tickets"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /agent\/nope\.json: file not found\. Fix: pass --config/);
    const opt = await agent(["--colour", "x"]);
    assert.equal(opt.code, 2);
    assert.match(opt.stderr, /Unknown option --colour/);
  });
});

test("with no question it reads questions until /exit (piped stdin)", async () => {
  const r = await agent(
    [],
    {},
    "Покажи тикеты со статусом pending\nrejected technical tickets\n/exit\nnever asked\n",
  );
  assert.equal(r.code, 0, r.stderr);
  const answers = r.stdout.trim().split(/\n\s*\n/);
  assert.ok(answers.length >= 2, r.stdout);
  assert.match(r.stdout, /[а-яё]/i);
  assert.match(r.stdout, /rejected|technical/i);
});

test("npm run demo answers the seed's three questions offline, ends its session, exits 0", async () => {
  const out = await node("agent/src/demo.ts", []);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /^Sessions left open on the ticket server: 0$/m);
  assert.equal(out.stdout.match(/^── \d\. /gm)?.length, 3);
  assert.match(
    out.stdout,
    /tool: tickets-http\/search_tickets \{"status":"open","priority":"critical","category":"security"/,
  );
  assert.match(out.stdout, /tool: tickets-http\/search_tickets \{"user_id":"user123"/);
  assert.match(
    out.stdout,
    /tool: tickets-http\/search_tickets \{"status":"open","priority":"high","category":"billing"\}/,
  );
  assert.equal(
    out.stdout.match(/Найдено тикетов: [1-9]/g)?.length,
    3,
    "each question finds tickets",
  );
});
