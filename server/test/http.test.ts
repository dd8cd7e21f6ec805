/**
 * The real server over real HTTP, driven by the SDK's own Client and by raw requests:
 * what an MCP client sees.
 */
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, test } from "node:test";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { loadMemoryStore } from "../src/sources/loadStore.js";
import type { TicketStore } from "../src/tickets/store.js";
import {
  INITIALIZE,
  connectClient,
  rpc,
  startTestServer,
  type TestServer,
} from "../../test/helpers/server.js";

interface SearchOut {
  total: number;
  tickets: {
    ticket_id: string;
    status: string;
    priority: string;
    category: string;
    user_id: string;
  }[];
  next_cursor?: string;
  filters: Record<string, unknown>;
}

let store: TicketStore;
let srv: TestServer;
let client: Client;

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}
const text = (r: CallToolResult) =>
  r.content.map((c) => (c.type === "text" ? c.text : "")).join("");

before(async () => {
  store = await loadMemoryStore("data/requests.xls");
  srv = await startTestServer(store);
  ({ client } = await connectClient(srv.url));
});
after(async () => {
  await client.close();
  await srv.close();
});

describe("initialize and listing", () => {
  test("server info, capabilities and instructions", () => {
    assert.equal(client.getServerVersion()?.name, "mcp-tickets");
    const caps = client.getServerCapabilities();
    assert.ok(caps?.tools && caps.resources && caps.prompts && caps.logging);
    assert.match(client.getInstructions() ?? "", /search_tickets/);
  });

  test("tools/list: three read-only tools with every annotation and an output schema", async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      ["search_tickets", "get_ticket", "ticket_stats"],
    );
    for (const tool of tools) {
      assert.ok(tool.title && tool.description, tool.name);
      assert.deepEqual(
        tool.annotations && {
          readOnlyHint: tool.annotations.readOnlyHint,
          destructiveHint: tool.annotations.destructiveHint,
          idempotentHint: tool.annotations.idempotentHint,
          openWorldHint: tool.annotations.openWorldHint,
        },
        { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      );
      assert.equal(tool.outputSchema?.type, "object", tool.name);
    }
    const search = tools[0]!;
    const props = search.inputSchema.properties as Record<
      string,
      { anyOf?: { enum?: string[] }[] }
    >;
    assert.deepEqual(props.status?.anyOf?.[0]?.enum, [
      "open",
      "in_progress",
      "pending",
      "closed",
      "rejected",
    ]);
  });
});

describe("search_tickets", () => {
  test("the seed's three examples each find tickets", async () => {
    for (const args of [
      { status: "open", priority: "critical", category: "security" },
      { user_id: "user123" },
      { status: "open", priority: "high", category: "billing" },
    ]) {
      const result = await call("search_tickets", args);
      const out = result.structuredContent as unknown as SearchOut;
      assert.ok(out.total >= 1, JSON.stringify(args));
      for (const t of out.tickets) {
        for (const [k, v] of Object.entries(args)) assert.equal(t[k as keyof typeof t], v);
      }
      assert.match(text(result), new RegExp(`^${out.total} tickets? match`));
      assert.deepEqual(out.filters, args);
    }
  });

  test("a full page of text is far smaller than the same tickets as pretty JSON", async () => {
    const result = await call("search_tickets", { limit: 10 });
    const out = result.structuredContent as unknown as SearchOut;
    assert.equal(out.tickets.length, 10);
    const compact = Buffer.byteLength(text(result));
    const pretty = Buffer.byteLength(JSON.stringify(out.tickets, null, 2));
    assert.ok(compact < pretty * 0.45, `text ${compact} B vs JSON ${pretty} B`);
    assert.equal(
      text(result)
        .split("\n")
        .filter((l) => l.startsWith("TKT-")).length,
      10,
    );
    assert.match(text(result), /cursor="/);
  });

  test("paging with next_cursor returns all 50 tickets exactly once", async () => {
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const out = (await call("search_tickets", { limit: 7, ...(cursor ? { cursor } : {}) }))
        .structuredContent as unknown as SearchOut;
      assert.equal(out.total, 50);
      for (const t of out.tickets) {
        assert.ok(!seen.has(t.ticket_id), `repeated ${t.ticket_id}`);
        seen.add(t.ticket_id);
      }
      cursor = out.next_cursor;
    } while (cursor);
    assert.equal(seen.size, 50);
  });

  test("zero results say which filters were applied", async () => {
    const result = await call("search_tickets", { keyword: "zzzz-no-such-word", status: "closed" });
    assert.equal(result.isError, undefined);
    assert.equal((result.structuredContent as unknown as SearchOut).total, 0);
    assert.match(text(result), /No tickets match \(status=closed, keyword=zzzz-no-such-word\)/);
  });

  test("bad arguments come back as isError results naming field, value and allowed values", async () => {
    const bad = await call("search_tickets", { status: "opened" });
    assert.equal(bad.isError, true);
    assert.match(text(bad), /status "opened".*open, in_progress, pending, closed, rejected/);
    const limit = await call("search_tickets", { limit: 500 });
    assert.equal(limit.isError, true);
    assert.match(text(limit), /limit 500.*1 to 100/);
    const typed = await call("search_tickets", { limit: "ten" });
    assert.equal(typed.isError, true);
    assert.match(text(typed), /limit/);
    for (const r of [bad, limit, typed])
      assert.doesNotMatch(text(r), /\bat \S+\.(ts|js):\d+|\/work\//);
    // ...and the server keeps serving.
    assert.equal(
      ((await call("search_tickets", {})).structuredContent as unknown as SearchOut).total,
      50,
    );
  });
});

describe("get_ticket and ticket_stats", () => {
  test("get_ticket returns the full ticket; unknown ids are a clear error", async () => {
    const ok = await call("get_ticket", { ticket_id: "tkt-0001" });
    const ticket = (ok.structuredContent as { ticket: { ticket_id: string; description: string } })
      .ticket;
    assert.equal(ticket.ticket_id, "TKT-0001");
    assert.ok(text(ok).includes(ticket.description));
    const missing = await call("get_ticket", { ticket_id: "TKT-9999" });
    assert.equal(missing.isError, true);
    assert.match(text(missing), /"TKT-9999" not found/);
  });

  test("ticket_stats counts add up to the search total under the same filters", async () => {
    const stats = (await call("ticket_stats", { group_by: "category", status: "open" }))
      .structuredContent as { total: number; groups: { value: string; count: number }[] };
    const search = (await call("search_tickets", { status: "open" }))
      .structuredContent as unknown as SearchOut;
    assert.equal(stats.total, search.total);
    assert.equal(
      stats.groups.reduce((s, g) => s + g.count, 0),
      stats.total,
    );
    assert.equal(stats.groups.length, 5);
    const bad = await call("ticket_stats", { group_by: "colour" });
    assert.equal(bad.isError, true);
    assert.match(text(bad), /group_by "colour".*status, priority, category, assigned_to, user_id/);
  });
});

describe("resources and prompts", () => {
  test("ticket:// template reads a ticket and completes ids", async () => {
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.deepEqual(
      resourceTemplates.map((r) => r.uriTemplate),
      ["ticket://{ticket_id}"],
    );
    const { resources } = await client.listResources();
    // Every ticket, plus the two MCP Apps views (ui://, see apps.test.ts).
    assert.equal(resources.filter((r) => r.uri.startsWith("ticket://")).length, 50);
    const read = await client.readResource({ uri: "ticket://TKT-0002" });
    const content = read.contents[0];
    assert.ok(content && "text" in content);
    assert.match(content.text, /^TKT-0002: /);
    const completion = await client.complete({
      ref: { type: "ref/resource", uri: "ticket://{ticket_id}" },
      argument: { name: "ticket_id", value: "TKT-001" },
    });
    assert.deepEqual(completion.completion.values.slice(0, 2), ["TKT-0010", "TKT-0011"]);
    await assert.rejects(client.readResource({ uri: "ticket://NOPE-1" }), /"NOPE-1" not found/);
  });

  test("triage_tickets prompt", async () => {
    const { prompts } = await client.listPrompts();
    assert.deepEqual(
      prompts.map((p) => p.name),
      ["triage_tickets"],
    );
    const prompt = await client.getPrompt({
      name: "triage_tickets",
      arguments: { category: "billing" },
    });
    const first = prompt.messages[0]?.content;
    assert.ok(first?.type === "text" && first.text.includes("billing category"));
  });
});

describe("HTTP behaviour", () => {
  test("curl-style GET /mcp explains the endpoint, without a stack trace", async () => {
    const res = await fetch(srv.url);
    assert.equal(res.status, 406);
    const body = (await res.json()) as { name: string; message: string; tools: string[] };
    assert.equal(body.name, "mcp-tickets");
    assert.match(body.message, /streamable_http/);
    assert.deepEqual(body.tools, ["search_tickets", "get_ticket", "ticket_stats"]);
    assert.equal(res.headers.get("x-powered-by"), null);
  });

  test("/healthz answers; unknown paths are JSON 404s", async () => {
    assert.deepEqual(await (await fetch(`${srv.origin}/healthz`)).json(), { status: "ok" });
    const res = await fetch(`${srv.origin}/nothing`);
    assert.equal(res.status, 404);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /\/mcp/);
  });

  test("a foreign Origin or Host is refused with 403", async () => {
    const origin = await rpc(srv.url, INITIALIZE, { origin: "https://evil.example" });
    assert.equal(origin.status, 403);
    assert.match(await origin.text(), /evil\.example.*ALLOWED_ORIGINS/);
    const local = await rpc(srv.url, INITIALIZE, { origin: "http://localhost:3000" });
    assert.equal(local.status, 200);
    // fetch() will not send a forged Host header; node:http will.
    const host = await new Promise<number>((resolve, reject) => {
      const req = http.request(srv.url, {
        method: "POST",
        headers: { host: "evil.example", "content-type": "application/json" },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end(JSON.stringify(INITIALIZE));
    });
    assert.equal(host, 403);
  });

  test("bad JSON is a JSON-RPC parse error; an oversized body is 413", async () => {
    const parse = await rpc(srv.url, "{nope");
    assert.equal(parse.status, 400);
    assert.equal(((await parse.json()) as { error: { code: number } }).error.code, -32700);
    const big = await rpc(srv.url, { ...INITIALIZE, pad: "x".repeat(300 * 1024) });
    assert.equal(big.status, 413);
    assert.match(await big.text(), /limit is 262144 bytes/);
  });

  test("requests without a session, or with an unknown one, are refused", async () => {
    const list = { jsonrpc: "2.0", id: 2, method: "tools/list" };
    assert.equal((await rpc(srv.url, list)).status, 400);
    const unknown = await rpc(srv.url, list, { "mcp-session-id": "no-such-session" });
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { error: { code: number } }).error.code, -32001);
  });

  test("after DELETE the session is gone (404)", async () => {
    const { client: c, transport } = await connectClient(srv.url);
    const id = transport.sessionId!;
    assert.ok(srv.mcp.sessions.get(id));
    await transport.terminateSession();
    assert.equal(srv.mcp.sessions.get(id), undefined);
    const res = await rpc(
      srv.url,
      { jsonrpc: "2.0", id: 3, method: "tools/list" },
      {
        "mcp-session-id": id,
        "mcp-protocol-version": "2025-11-25",
      },
    );
    assert.equal(res.status, 404);
    await c.close();
  });

  test("idle sessions expire", async () => {
    const { client: c, transport } = await connectClient(srv.url);
    const session = srv.mcp.sessions.get(transport.sessionId!)!;
    session.lastSeen = 0;
    assert.ok((await srv.mcp.sessions.sweep()) >= 1);
    assert.equal(srv.mcp.sessions.get(session.id), undefined);
    await c.close();
  });

  test("one log line per request: method, tool, argument names, count, duration", async () => {
    await call("search_tickets", { status: "open", keyword: "login" });
    const line = srv.logs.findLast((l) => l.tool === "search_tickets");
    assert.ok(line, "no log line for the tool call");
    assert.equal(line.method, "tools/call");
    assert.deepEqual(line.args, ["status", "keyword"]);
    assert.equal(typeof line.count, "number");
    assert.equal(typeof line.ms, "number");
    assert.ok(!JSON.stringify(line).includes("login"), "argument values must not be logged");
  });
});

describe("limits and modes", () => {
  test("the session cap answers 503 with Retry-After", async () => {
    const capped = await startTestServer(store, { MCP_MAX_SESSIONS: "1" });
    try {
      const first = await connectClient(capped.url);
      const res = await rpc(capped.url, INITIALIZE);
      assert.equal(res.status, 503);
      assert.equal(res.headers.get("retry-after"), "30");
      await first.client.close();
    } finally {
      await capped.close();
    }
  });

  test("stateless mode serves tools without sessions", async () => {
    const stateless = await startTestServer(store, { MCP_STATELESS: "true" });
    try {
      const { client: c, transport } = await connectClient(stateless.url);
      assert.equal(transport.sessionId, undefined);
      const out = (await c.callTool({ name: "search_tickets", arguments: { user_id: "user123" } }))
        .structuredContent as unknown as SearchOut;
      assert.ok(out.total >= 1);
      assert.equal(stateless.mcp.sessions.size, 0);
      const sse = await fetch(stateless.url, { headers: { accept: "text/event-stream" } });
      assert.equal(sse.status, 405);
      await c.close();
    } finally {
      await stateless.close();
    }
  });
});
