/**
 * Both protocol eras on one endpoint, over real HTTP: a v2 client pinned to 2026-07-28
 * (stateless, no session, caching hints, header checks, per-request auth) beside the
 * 2025 session clients the rest of the suite uses (LangChain's adapters, the v1 SDK).
 * Also what both eras share: unknown tool arguments named, cancellation reaching the
 * store, truthful completion, a validated prompt argument.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { Client as ClientV2, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import {
  LoggingMessageNotificationSchema,
  type CallToolResult,
} from "@modelcontextprotocol/sdk/types.js";
import { hashToken } from "../src/auth/staticTokens.js";
import { loadMemoryStore } from "../src/sources/loadStore.js";
import type { CallOptions, TicketStore } from "../src/tickets/store.js";
import type { SearchQuery } from "../src/tickets/query.js";
import {
  INITIALIZE,
  connectClient,
  rpc,
  startTestServer,
  type TestServer,
} from "../../test/helpers/server.js";

const MODERN = "2026-07-28";
const ENVELOPE = {
  "io.modelcontextprotocol/protocolVersion": MODERN,
  "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
  "io.modelcontextprotocol/clientCapabilities": {},
};

/** A raw 2026-07-28 request as a client sends it: envelope in _meta, routing headers. */
async function modernRpc(
  url: string,
  method: string,
  params: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  const name = (params.name ?? params.uri) as string | undefined;
  const res = await rpc(
    url,
    { jsonrpc: "2.0", id: 42, method, params: { ...params, _meta: ENVELOPE } },
    {
      "mcp-protocol-version": MODERN,
      "mcp-method": method,
      ...(name !== undefined ? { "mcp-name": name } : {}),
      ...headers,
    },
  );
  const raw = await res.text();
  const data = raw.startsWith("{") ? raw : (/^data: (.*)$/m.exec(raw)?.[1] ?? "{}");
  return {
    status: res.status,
    headers: res.headers,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw protocol JSON, read by path
    body: JSON.parse(data) as Record<string, any>,
  };
}

async function modernClient(url: string, token?: string): Promise<ClientV2> {
  const client = new ClientV2(
    { name: "eras-test", version: "1" },
    { versionNegotiation: { mode: { pin: MODERN } } },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      ...(token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : {}),
    }),
  );
  return client;
}

const structured = <T>(r: unknown) => (r as CallToolResult).structuredContent as T;
const textOf = (r: unknown) =>
  (r as CallToolResult).content.map((c) => (c.type === "text" ? c.text : "")).join("");

let store: TicketStore;
let srv: TestServer;
before(async () => {
  store = await loadMemoryStore("data/requests.xls");
  srv = await startTestServer(store);
});
after(() => srv.close());

describe("2026-07-28 through the whole HTTP layer", () => {
  test("CORS, body limit, rate limit, JSON answers, request logs and metrics by era", async () => {
    const guarded = await startTestServer(store, {
      ALLOWED_ORIGINS: "https://app.example.com",
      MAX_BODY_BYTES: "2048",
      RATE_LIMIT_PER_MINUTE: "60",
      RATE_LIMIT_BURST: "4",
    });
    try {
      const call = { name: "search_tickets", arguments: { status: "open", limit: 1 } };
      const allowed = await modernRpc(guarded.url, "tools/call", call, {
        origin: "https://app.example.com",
      });
      assert.equal(allowed.status, 200);
      assert.equal(allowed.headers.get("access-control-allow-origin"), "https://app.example.com");
      assert.match(allowed.headers.get("content-type") ?? "", /^application\/json/);
      assert.equal(structured<{ total: number }>(allowed.body.result).total > 0, true);
      const foreign = await modernRpc(guarded.url, "tools/call", call, {
        origin: "https://evil.example.com",
      });
      assert.equal(foreign.status, 403);
      const big = await modernRpc(guarded.url, "tools/call", {
        name: "search_tickets",
        arguments: { keyword: "x".repeat(4096) },
      });
      assert.equal(big.status, 413);
      // The burst of 4 is spent (3 answered above, plus this one); the next waits.
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await modernRpc(guarded.url, "tools/list")).status);
      assert.ok(statuses.includes(429), statuses.join(","));
      const metrics = await (await fetch(`${guarded.origin}/metrics`)).text();
      assert.match(metrics, /method="tools\/call",tool="search_tickets",era="2026-07-28"/);
      const logged = guarded.logs.find(
        (l) => l.msg === "tools/call search_tickets" && l.era === "2026-07-28",
      );
      assert.ok(logged, JSON.stringify(guarded.logs.map((l) => l.msg)));
    } finally {
      await guarded.close();
    }
  });
});

describe("log notifications go only to clients that ask", () => {
  test("2025: after logging/setLevel, one line per tool call at or above the level", async () => {
    const { client, transport } = await connectClient(srv.url);
    type LogLine = { level: string; data: Record<string, unknown> };
    const got: LogLine[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      got.push(n.params as LogLine);
    });
    const search = () =>
      client.callTool({ name: "search_tickets", arguments: { status: "open", limit: 1 } });
    try {
      await search();
      assert.equal(got.length, 0, "no level set: nothing sent");
      await client.setLoggingLevel("info");
      await search();
      await client.callTool({ name: "get_ticket", arguments: { ticket_id: "TKT-9999" } });
      assert.deepEqual(
        got.map((m) => [m.level, m.data.tool, m.data.ok]),
        [
          ["info", "search_tickets", true],
          ["warning", "get_ticket", false],
        ],
      );
      await client.setLoggingLevel("error");
      await search();
      assert.equal(got.length, 2, "below the level: nothing sent");
    } finally {
      await transport.terminateSession();
      await client.close();
    }
  });

  test("2026-07-28: the request's logLevel asks for them; without it, none", async () => {
    const call = async (logLevel?: string) => {
      const res = await rpc(
        srv.url,
        {
          jsonrpc: "2.0",
          id: 1,
          method: "tools/call",
          params: {
            name: "search_tickets",
            arguments: { limit: 1 },
            _meta: {
              ...ENVELOPE,
              ...(logLevel ? { "io.modelcontextprotocol/logLevel": logLevel } : {}),
            },
          },
        },
        {
          "mcp-protocol-version": MODERN,
          "mcp-method": "tools/call",
          "mcp-name": "search_tickets",
        },
      );
      return res.text();
    };
    assert.doesNotMatch(await call(), /notifications\/message/);
    assert.match(await call("debug"), /"method":"notifications\/message".*"tool":"search_tickets"/);
    assert.doesNotMatch(await call("error"), /notifications\/message/);
  });
});

describe("2026-07-28", () => {
  test("a v2 client pinned to 2026-07-28 connects, lists and searches with no session", async () => {
    const client = await modernClient(srv.url);
    try {
      assert.equal(client.getProtocolEra(), "modern");
      assert.equal(client.getNegotiatedProtocolVersion(), MODERN);
      const { tools } = await client.listTools();
      assert.deepEqual(
        tools.map((t) => t.name),
        ["search_tickets", "get_ticket", "ticket_stats"],
      );
      const found = await client.callTool({
        name: "search_tickets",
        arguments: { status: "open", priority: "critical", category: "security" },
      });
      assert.equal(structured<{ total: number }>(found).total, 1);
      const page = structured<{ next_cursor?: string; tickets: unknown[] }>(
        await client.callTool({ name: "search_tickets", arguments: { limit: 30 } }),
      );
      const rest = structured<{ tickets: unknown[]; next_cursor?: string }>(
        await client.callTool({
          name: "search_tickets",
          arguments: { limit: 30, cursor: page.next_cursor },
        }),
      );
      assert.equal(page.tickets.length + rest.tickets.length, 50);
      assert.equal(rest.next_cursor, undefined);
      assert.equal(srv.mcp.sessions.size, 0, "the modern era opens no session");
    } finally {
      await client.close();
    }
  });

  test("server/discover, and caching hints on list and read results", async () => {
    const discover = await modernRpc(srv.url, "server/discover");
    assert.equal(discover.status, 200);
    assert.deepEqual(discover.body.result.supportedVersions, [MODERN]);
    assert.equal(discover.body.result.cacheScope, "public");
    for (const [method, params, scope] of [
      ["tools/list", {}, "public"],
      ["prompts/list", {}, "public"],
      ["resources/templates/list", {}, "public"],
      ["resources/list", {}, "private"],
      ["resources/read", { uri: "ticket://TKT-0001" }, "private"],
    ] as const) {
      const { body } = await modernRpc(srv.url, method, params);
      assert.equal(body.result?.cacheScope, scope, `${method}: ${JSON.stringify(body)}`);
      assert.ok(Number(body.result.ttlMs) > 0, method);
    }
    // A 2025 answer never carries them.
    const init = await rpc(srv.url, INITIALIZE);
    assert.doesNotMatch(await init.text(), /ttlMs/);
  });

  test("Mcp-Method or Mcp-Name that disagree with the body are -32020", async () => {
    const method = await modernRpc(srv.url, "tools/list", {}, { "mcp-method": "prompts/list" });
    assert.equal(method.body.error?.code, -32020, JSON.stringify(method.body));
    const name = await modernRpc(
      srv.url,
      "tools/call",
      { name: "get_ticket", arguments: { ticket_id: "TKT-0001" } },
      { "mcp-name": "search_tickets" },
    );
    assert.equal(name.body.error?.code, -32020, JSON.stringify(name.body));
  });

  test("an unknown ticket is resource-not-found; malformed params are one sentence", async () => {
    const missing = await modernRpc(srv.url, "resources/read", { uri: "ticket://TKT-9999" });
    assert.equal(missing.body.error.code, -32602);
    assert.deepEqual(missing.body.error.data, { uri: "ticket://TKT-9999" });
    const bad = await modernRpc(srv.url, "tools/call", { arguments: {} });
    assert.equal(bad.body.error.code, -32602);
    assert.equal(bad.body.error.message, "Invalid params: params.name is required.");
    // Names the SDK would echo whole in "not found" are refused first, quoted short.
    const huge = "x".repeat(10_000);
    for (const [method, params] of [
      ["tools/call", { name: huge, arguments: {} }],
      ["prompts/get", { name: huge }],
      ["resources/read", { uri: `ticket://${huge}` }],
    ] as const) {
      const { body } = await modernRpc(srv.url, method, params);
      assert.equal(body.error.code, -32602, method);
      assert.match(body.error.message, /^Invalid params: params\.(name|uri) must be at most/);
      assert.ok(body.error.message.length < 200, `${method}: ${body.error.message.length}`);
    }
  });

  test("the verified token applies per request: a customer sees only their tickets", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "mcp-eras-"));
    const file = path.join(dir, "tokens.json");
    writeFileSync(
      file,
      JSON.stringify({
        tokens: [
          {
            name: "acme",
            role: "customer",
            user_id: "user110",
            sha256: hashToken("cust-1234567890"),
          },
        ],
      }),
    );
    const secured = await startTestServer(store, { AUTH_TOKENS_FILE: file });
    try {
      const anonymous = await modernRpc(secured.url, "tools/list");
      assert.equal(anonymous.status, 401);
      const client = await modernClient(secured.url, "cust-1234567890");
      try {
        const out = structured<{ total: number; tickets: { user_id: string }[] }>(
          await client.callTool({ name: "search_tickets", arguments: { limit: 100 } }),
        );
        assert.ok(out.total > 0 && out.total < 50);
        assert.ok(out.tickets.every((t) => t.user_id === "user110"));
        const foreign = await client.callTool({
          name: "get_ticket",
          arguments: { ticket_id: "TKT-0001" },
        });
        assert.equal(foreign.isError, true, "another user's ticket is not found");
      } finally {
        await client.close();
      }
    } finally {
      await secured.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("both eras", () => {
  test("an unknown tool argument is an error naming the allowed ones", async () => {
    const modern = await modernClient(srv.url);
    const { client: legacy } = await connectClient(srv.url);
    try {
      for (const client of [modern, legacy]) {
        const result = await client.callTool({
          name: "search_tickets",
          arguments: { state: "open" },
        });
        assert.equal(result.isError, true);
        assert.match(
          textOf(result),
          /unknown argument "state" for search_tickets; the arguments are user_id, status, priority, category, keyword/,
        );
      }
    } finally {
      await modern.close();
      await legacy.close();
    }
  });

  test("completion is truthful: hasMore when more ids match, total only when known", async () => {
    const { client } = await connectClient(srv.url);
    try {
      const ref = { type: "ref/resource" as const, uri: "ticket://{ticket_id}" };
      const many = await client.complete({ ref, argument: { name: "ticket_id", value: "TKT-00" } });
      assert.equal(many.completion.values.length, 20);
      assert.equal(many.completion.hasMore, true);
      assert.equal(many.completion.total, undefined);
      const few = await client.complete({ ref, argument: { name: "ticket_id", value: "tkt-004" } });
      assert.deepEqual(
        few.completion.values,
        Array.from({ length: 10 }, (_, i) => `TKT-004${i}`),
      );
      assert.equal(few.completion.hasMore, false);
      assert.equal(few.completion.total, 10);
    } finally {
      await client.close();
    }
  });

  test("triage_tickets validates its argument like the tools do", async () => {
    const { client } = await connectClient(srv.url);
    try {
      await assert.rejects(
        client.getPrompt({ name: "triage_tickets", arguments: { category: "bogus" } }),
        /-32602.*Invalid category "bogus": must be one of authentication, billing, feature, technical, security/,
      );
      const ok = await client.getPrompt({
        name: "triage_tickets",
        arguments: { category: "Billing" },
      });
      assert.match(JSON.stringify(ok.messages), /in the billing category/);
      // A misspelt argument is named, not ignored (before: the all-categories prompt).
      await assert.rejects(
        client.getPrompt({ name: "triage_tickets", arguments: { categroy: "billing" } }),
        /-32602.*unknown argument "categroy" for triage_tickets; the arguments are category/,
      );
      const modern = await modernRpc(srv.url, "prompts/get", {
        name: "triage_tickets",
        arguments: { categroy: "billing" },
      });
      assert.equal(modern.body.error?.code, -32602);
      assert.match(modern.body.error.message, /unknown argument "categroy"/);
    } finally {
      await client.close();
    }
  });

  test("errors the HTTP layer writes echo the request's id", async () => {
    const res = await rpc(
      srv.url,
      { jsonrpc: "2.0", id: 77, method: "tools/list" },
      { "mcp-session-id": "no-such-session", "mcp-protocol-version": "2025-11-25" },
    );
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { id: unknown }).id, 77);
  });

  test("a cancelled call aborts the store's work, in either era", async () => {
    const seen: AbortSignal[] = [];
    const slow: TicketStore = {
      ...store,
      search: (query: SearchQuery, options?: CallOptions) =>
        new Promise((resolve, reject) => {
          const signal = options?.signal;
          assert.ok(signal, "the store gets the request's signal");
          seen.push(signal);
          signal.addEventListener("abort", () => reject(signal.reason as Error), { once: true });
          void query;
          void resolve;
        }),
    };
    const server = await startTestServer(slow);
    const modern = await modernClient(server.url);
    const { client: legacy, transport: legacyTransport } = await connectClient(server.url);
    try {
      const calls = [
        // v1 (2025 session): the abort sends notifications/cancelled.
        (signal: AbortSignal) =>
          legacy.callTool({ name: "search_tickets", arguments: {} }, undefined, { signal }),
        // v2 (2026-07-28): the abort closes the request's response stream.
        (signal: AbortSignal) =>
          modern.callTool({ name: "search_tickets", arguments: {} }, { signal }),
        // A 2025 session's client that just drops the connection, sending nothing.
        async (signal: AbortSignal) => {
          const session = legacyTransport.sessionId!;
          const res = await fetch(server.url, {
            method: "POST",
            signal,
            headers: {
              "content-type": "application/json",
              accept: "application/json, text/event-stream",
              "mcp-session-id": session,
              "mcp-protocol-version": "2025-11-25",
            },
            body: JSON.stringify({
              jsonrpc: "2.0",
              id: 99,
              method: "tools/call",
              params: { name: "search_tickets", arguments: {} },
            }),
          });
          await res.text();
        },
      ];
      for (const start of calls) {
        const abort = new AbortController();
        const call = start(abort.signal);
        for (let i = 0; i < 100 && seen.length === 0; i++) {
          await new Promise((r) => setTimeout(r, 10));
        }
        abort.abort();
        await assert.rejects(call);
        const signal = seen.pop()!;
        for (let i = 0; i < 100 && !signal.aborted; i++) {
          await new Promise((r) => setTimeout(r, 10));
        }
        assert.equal(signal.aborted, true, "the store's signal was aborted");
      }
    } finally {
      await modern.close();
      await legacy.close();
      await server.close();
    }
  });
});
