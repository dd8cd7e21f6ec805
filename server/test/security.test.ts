/**
 * Production features over real HTTP: static tokens and OAuth (JWTs signed with a key
 * pair made here, JWKS served on loopback), per-user scoping across every tool and the
 * resource template, session ownership, CORS, rate limits, headers, metrics, readiness.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { hashToken } from "../src/auth/staticTokens.js";
import { loadMemoryStore } from "../src/sources/loadStore.js";
import type { TicketStore } from "../src/tickets/store.js";
import { startTestIssuer, type TestIssuer } from "../../test/helpers/oauth.js";
import { INITIALIZE, rpc, startTestServer, type TestServer } from "../../test/helpers/server.js";

const dir = mkdtempSync(path.join(tmpdir(), "mcp-security-"));
const TOKENS = {
  agent: "agent-token-1234567890",
  customer: "customer-token-1234567890",
  other: "other-token-123456",
};
const tokensFile = path.join(dir, "tokens.json");
writeFileSync(
  tokensFile,
  JSON.stringify({
    tokens: [
      { name: "support-bot", role: "agent", sha256: hashToken(TOKENS.agent) },
      { name: "acme", role: "customer", user_id: "user123", sha256: hashToken(TOKENS.customer) },
      { name: "globex", role: "customer", user_id: "user110", sha256: hashToken(TOKENS.other) },
    ],
  }),
);

let store: TicketStore;
let srv: TestServer;
before(async () => {
  store = await loadMemoryStore("data/requests.xls");
  srv = await startTestServer(store, { AUTH_TOKENS_FILE: tokensFile });
});
after(async () => {
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
});

async function connect(url: string, token: string): Promise<Client> {
  const client = new Client({ name: "sec-test", version: "1" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}
const sc = <T>(r: unknown) => (r as CallToolResult).structuredContent as T;
const text = (r: unknown) =>
  (r as CallToolResult).content.map((c) => (c.type === "text" ? c.text : "")).join("");

describe("static tokens", () => {
  test("no token: 401 with a Bearer challenge; a bad token: 401 invalid_token", async () => {
    const none = await rpc(srv.url, INITIALIZE);
    assert.equal(none.status, 401);
    assert.match(none.headers.get("www-authenticate") ?? "", /^Bearer realm="mcp-tickets"/);
    assert.match(
      ((await none.json()) as { error: { message: string } }).error.message,
      /Authorization: Bearer/,
    );
    const bad = await rpc(srv.url, INITIALIZE, { authorization: "Bearer nope" });
    assert.equal(bad.status, 401);
    assert.match(bad.headers.get("www-authenticate") ?? "", /error="invalid_token"/);
    const basic = await rpc(srv.url, INITIALIZE, { authorization: "Basic dXNlcjpwdw==" });
    assert.equal(basic.status, 401);
  });

  test("the curl 'is it up?' note answers without a token and says one is required", async () => {
    const res = await fetch(srv.url);
    assert.equal(res.status, 406);
    const note = (await res.json()) as { name: string; auth: string };
    assert.equal(note.name, "mcp-tickets");
    assert.equal(note.auth, "bearer token required");
    const sse = await fetch(srv.url, { headers: { accept: "text/event-stream" } });
    assert.equal(sse.status, 401, "an SSE stream still needs a token");
  });

  test("an agent sees every ticket", async () => {
    const client = await connect(srv.url, TOKENS.agent);
    try {
      assert.equal(
        sc<{ total: number }>(await client.callTool({ name: "search_tickets", arguments: {} }))
          .total,
        50,
      );
    } finally {
      await client.close();
    }
  });

  test("a customer sees only their own tickets, through every tool and the resource template", async () => {
    const own = (await store.search({ filters: { userId: "user123" }, sort: "oldest", limit: 100 }))
      .tickets;
    const foreign = (
      await store.search({ filters: { userId: "user110" }, sort: "oldest", limit: 1 })
    ).tickets[0]!;
    assert.ok(own.length >= 1);
    const client = await connect(srv.url, TOKENS.customer);
    try {
      const all = sc<{ total: number; tickets: { user_id: string }[] }>(
        await client.callTool({ name: "search_tickets", arguments: { limit: 100 } }),
      );
      assert.equal(all.total, own.length);
      assert.ok(all.tickets.every((t) => t.user_id === "user123"));
      // Asking for another user's tickets finds none of theirs.
      const theirs = sc<{ total: number }>(
        await client.callTool({ name: "search_tickets", arguments: { user_id: "user110" } }),
      );
      assert.equal(theirs.total, 0);
      const stats = sc<{ total: number }>(
        await client.callTool({ name: "ticket_stats", arguments: { group_by: "user_id" } }),
      );
      assert.equal(stats.total, own.length);
      const get = (await client.callTool({
        name: "get_ticket",
        arguments: { ticket_id: foreign.ticket_id },
      })) as CallToolResult;
      assert.equal(get.isError, true);
      assert.match(text(get), /not found/);
      assert.ok(!text(get).includes(foreign.title), "no existence leak");
      const mine = await client.callTool({
        name: "get_ticket",
        arguments: { ticket_id: own[0]!.ticket_id },
      });
      assert.equal(sc<{ ticket: { user_id: string } }>(mine).ticket.user_id, "user123");
      await assert.rejects(
        client.readResource({ uri: `ticket://${foreign.ticket_id}` }),
        /not found/,
      );
      const listed = await client.listResources();
      const tickets = listed.resources.filter((r) => r.uri.startsWith("ticket://"));
      assert.equal(tickets.length, own.length);
      const completion = await client.complete({
        ref: { type: "ref/resource", uri: "ticket://{ticket_id}" },
        argument: { name: "ticket_id", value: "TKT" },
      });
      assert.deepEqual(
        completion.completion.values,
        own
          .map((t) => t.ticket_id)
          .sort()
          .slice(0, 20),
      );
    } finally {
      await client.close();
    }
  });

  test("a session belongs to its principal: another token presenting its id gets 404", async () => {
    const transport = new StreamableHTTPClientTransport(new URL(srv.url), {
      requestInit: { headers: { authorization: `Bearer ${TOKENS.customer}` } },
    });
    const client = new Client({ name: "owner", version: "1" });
    await client.connect(transport);
    try {
      const hijack = await rpc(
        srv.url,
        { jsonrpc: "2.0", id: 9, method: "tools/list" },
        {
          authorization: `Bearer ${TOKENS.other}`,
          "mcp-session-id": transport.sessionId!,
          "mcp-protocol-version": "2025-11-25",
        },
      );
      assert.equal(hijack.status, 404);
      // The owner still works.
      assert.equal((await client.listTools()).tools.length, 3);
    } finally {
      await client.close();
    }
  });
});

describe("OAuth 2.1 resource server", () => {
  let idp: TestIssuer;
  let oauth: TestServer;
  let issuer: string;
  const audience = "https://tickets.example.com/mcp";

  before(async () => {
    idp = await startTestIssuer(audience);
    issuer = idp.issuer;
    oauth = await startTestServer(store, {
      OAUTH_ISSUER: issuer,
      OAUTH_JWKS_URL: idp.jwksUrl,
      PUBLIC_URL: "https://tickets.example.com",
    });
  });
  after(async () => {
    await oauth.close();
    idp.close();
  });

  const sign = (
    claims: Record<string, unknown>,
    opts: { aud?: string; exp?: string; iss?: string } = {},
  ) => idp.sign(claims, opts);

  test("protected resource metadata, and 401s point at it", async () => {
    const meta = (await (
      await fetch(`${oauth.origin}/.well-known/oauth-protected-resource/mcp`)
    ).json()) as Record<string, unknown>;
    assert.deepEqual(meta.resource, audience);
    assert.deepEqual(meta.authorization_servers, [issuer]);
    assert.deepEqual(meta.scopes_supported, ["tickets:read", "tickets:read:all"]);
    const res = await rpc(oauth.url, INITIALIZE);
    assert.equal(res.status, 401);
    assert.match(
      res.headers.get("www-authenticate") ?? "",
      /resource_metadata="https:\/\/tickets\.example\.com\/\.well-known\/oauth-protected-resource\/mcp"/,
    );
  });

  test("valid, expired, wrong audience, wrong issuer, wrong scope", async () => {
    const ok = await rpc(oauth.url, INITIALIZE, {
      authorization: `Bearer ${await sign({ scope: "tickets:read tickets:read:all" })}`,
    });
    assert.equal(ok.status, 200);
    const expired = await rpc(oauth.url, INITIALIZE, {
      authorization: `Bearer ${await sign({ scope: "tickets:read" }, { exp: "-1m" })}`,
    });
    assert.equal(expired.status, 401);
    assert.match(await expired.text(), /expired/);
    const aud = await rpc(oauth.url, INITIALIZE, {
      authorization: `Bearer ${await sign({ scope: "tickets:read" }, { aud: "https://other.example/mcp" })}`,
    });
    assert.equal(aud.status, 401);
    const iss = await rpc(oauth.url, INITIALIZE, {
      authorization: `Bearer ${await sign({ scope: "tickets:read" }, { iss: "https://evil.example" })}`,
    });
    assert.equal(iss.status, 401);
    const scope = await rpc(oauth.url, INITIALIZE, {
      authorization: `Bearer ${await sign({ scope: "profile" })}`,
    });
    assert.equal(scope.status, 403);
    assert.match(
      scope.headers.get("www-authenticate") ?? "",
      /error="insufficient_scope", scope="tickets:read"/,
    );
  });

  test("a user_id claim makes the caller a customer", async () => {
    const client = await connect(
      oauth.url,
      await sign({ scope: "tickets:read", user_id: "user110" }),
    );
    try {
      const out = sc<{ total: number; tickets: { user_id: string }[] }>(
        await client.callTool({ name: "search_tickets", arguments: { limit: 100 } }),
      );
      assert.ok(out.total >= 1 && out.total < 50);
      assert.ok(out.tickets.every((t) => t.user_id === "user110"));
    } finally {
      await client.close();
    }
  });
});

describe("abuse and bad input", () => {
  test("CORS: the allowlisted origin gets a grant and a preflight; a foreign one gets nothing", async () => {
    const s = await startTestServer(store, { ALLOWED_ORIGINS: "https://app.example.com" });
    try {
      const pre = await fetch(s.url, {
        method: "OPTIONS",
        headers: {
          origin: "https://app.example.com",
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type, mcp-session-id",
        },
      });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers.get("access-control-allow-origin"), "https://app.example.com");
      assert.match(pre.headers.get("access-control-allow-headers") ?? "", /Mcp-Session-Id/);
      assert.match(pre.headers.get("access-control-allow-methods") ?? "", /DELETE/);
      const post = await rpc(s.url, INITIALIZE, { origin: "https://app.example.com" });
      assert.equal(post.status, 200);
      assert.match(post.headers.get("access-control-expose-headers") ?? "", /Mcp-Session-Id/);
      const foreign = await fetch(s.url, {
        method: "OPTIONS",
        headers: { origin: "https://evil.example" },
      });
      assert.equal(foreign.headers.get("access-control-allow-origin"), null);
      const foreignPost = await rpc(s.url, INITIALIZE, { origin: "https://evil.example" });
      assert.equal(foreignPost.status, 403);
      assert.equal(foreignPost.headers.get("access-control-allow-origin"), null);
    } finally {
      await s.close();
    }
  });

  test("a burst over the rate limit gets 429 with Retry-After and a JSON-RPC body, counted in /metrics", async () => {
    const s = await startTestServer(store, { RATE_LIMIT_PER_MINUTE: "6", RATE_LIMIT_BURST: "3" });
    try {
      const statuses: number[] = [];
      let limited: Response | undefined;
      for (let i = 0; i < 5; i++) {
        const res = await rpc(s.url, INITIALIZE);
        statuses.push(res.status);
        if (res.status === 429) limited ??= res;
        else await res.body?.cancel();
      }
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
      assert.ok(Number(limited!.headers.get("retry-after")) >= 1);
      const body = (await limited!.json()) as { jsonrpc: string; error: { message: string } };
      assert.equal(body.jsonrpc, "2.0");
      assert.match(body.error.message, /Rate limit exceeded/);
      const metrics = await (await fetch(`${s.origin}/metrics`)).text();
      assert.match(metrics, /^mcp_rate_limited_total 2$/m);
    } finally {
      await s.close();
    }
  });

  test("guessing tokens is throttled per client address; a good token is not charged", async () => {
    const s = await startTestServer(store, {
      AUTH_TOKENS_FILE: tokensFile,
      RATE_LIMIT_PER_MINUTE: "6",
      RATE_LIMIT_BURST: "3",
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await rpc(s.url, INITIALIZE, { authorization: `Bearer wrong-${i}` });
        statuses.push(res.status);
        await res.body?.cancel();
      }
      assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
    } finally {
      await s.close();
    }
  });

  test("too many values in one tool call is a clear error", async () => {
    const s = await startTestServer(store);
    const client = new Client({ name: "t", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(new URL(s.url)));
    try {
      const r = (await client.callTool({
        name: "search_tickets",
        arguments: { keyword: "x", status: new Array(300).fill("open") },
      })) as CallToolResult;
      assert.equal(r.isError, true);
      assert.match(text(r), /more than the maximum of 200 elements/);
    } finally {
      await client.close();
      await s.close();
    }
  });

  test("security headers and a request id on every response; no X-Powered-By", async () => {
    const res = await fetch(`${srv.origin}/healthz`, { headers: { "x-request-id": "abc-123" } });
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("x-frame-options"), "DENY");
    assert.equal(res.headers.get("cache-control"), "no-store");
    assert.equal(res.headers.get("x-request-id"), "abc-123");
    assert.equal(res.headers.get("x-powered-by"), null);
  });
});

describe("operations", () => {
  test("/readyz reports the data; /metrics counts requests by method, tool and outcome", async () => {
    const ready = (await (await fetch(`${srv.origin}/readyz`)).json()) as {
      status: string;
      tickets: number;
    };
    assert.deepEqual(ready, { status: "ready", tickets: 50 });
    const client = await connect(srv.url, TOKENS.agent);
    await client.callTool({ name: "search_tickets", arguments: { status: "nope" } });
    await client.close();
    assert.equal(
      (await fetch(`${srv.origin}/metrics`)).status,
      401,
      "metrics need a token when auth is on",
    );
    const asCustomer = await fetch(`${srv.origin}/metrics`, {
      headers: { authorization: `Bearer ${TOKENS.customer}` },
    });
    assert.equal(asCustomer.status, 403);
    const metrics = await (
      await fetch(`${srv.origin}/metrics`, { headers: { authorization: `Bearer ${TOKENS.agent}` } })
    ).text();
    assert.match(
      metrics,
      /mcp_requests_total\{method="tools\/call",tool="search_tickets",era="2025",outcome="tool_error"\} 1/,
    );
    assert.match(
      metrics,
      /mcp_request_duration_seconds_bucket\{le="0.005",method="initialize",tool=""\}/,
    );
    assert.match(metrics, /^mcp_tickets_loaded 50$/m);
    assert.match(metrics, /^mcp_open_sessions \d+$/m);
  });

  test("log lines of a request carry its id; tokens are never logged", async () => {
    const client = await connect(srv.url, TOKENS.agent);
    await client.callTool({ name: "get_ticket", arguments: { ticket_id: "TKT-0001" } });
    await client.close();
    const line = srv.logs.findLast((l) => l.tool === "get_ticket");
    assert.equal(typeof line?.req, "string");
    assert.ok(!JSON.stringify(srv.logs).includes(TOKENS.agent));
  });
});
