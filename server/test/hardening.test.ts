/**
 * The holes found by trying the server as an attacker would, each held shut over real
 * HTTP: OAuth roles granted only when a token positively says so, sessions bound to the
 * whole identity, a bad-token flood that cannot lock out good tokens, a per-principal
 * session cap, and precise answers to malformed protocol requests and hostile arguments.
 * JWTs are signed with a key pair made here; the JWKS is served on loopback.
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
import { parseIsoDate } from "../src/tickets/ticket.js";
import type { TicketStore } from "../src/tickets/store.js";
import { startTestIssuer, type TestIssuer } from "../../test/helpers/oauth.js";
import { INITIALIZE, rpc, startTestServer, type TestServer } from "../../test/helpers/server.js";

let store: TicketStore;
before(async () => {
  store = await loadMemoryStore("data/requests.xls");
});

const sc = <T>(r: unknown) => (r as CallToolResult).structuredContent as T;
const text = (r: unknown) =>
  (r as CallToolResult).content.map((c) => (c.type === "text" ? c.text : "")).join("");

/** Opens a session with a raw initialize; returns its id. */
async function openSession(url: string, token?: string): Promise<string> {
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const res = await rpc(url, INITIALIZE, auth);
  assert.equal(res.status, 200, await res.clone().text());
  await res.text();
  const id = res.headers.get("mcp-session-id")!;
  await rpc(
    url,
    { jsonrpc: "2.0", method: "notifications/initialized" },
    sessionHeaders(id, token),
  );
  return id;
}

function sessionHeaders(id: string, token?: string): Record<string, string> {
  return {
    "mcp-session-id": id,
    "mcp-protocol-version": "2025-11-25",
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
}

/** A JSON-RPC call on a session; the answer's JSON (SSE or JSON response). */
async function call(
  url: string,
  session: string,
  method: string,
  params: unknown,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await rpc(
    url,
    { jsonrpc: "2.0", id: 7, method, params },
    sessionHeaders(session, token),
  );
  const raw = await res.text();
  const data = raw.startsWith("{") ? raw : (/^data: (.*)$/m.exec(raw)?.[1] ?? "{}");
  return { status: res.status, body: JSON.parse(data) as Record<string, unknown> };
}

describe("OAuth: roles are granted, never assumed; sessions belong to the whole identity", () => {
  let idp: TestIssuer;
  let srv: TestServer;
  const audience = "https://tickets.example.com/mcp";

  before(async () => {
    idp = await startTestIssuer(audience);
    srv = await startTestServer(store, {
      OAUTH_ISSUER: idp.issuer,
      OAUTH_JWKS_URL: idp.jwksUrl,
      PUBLIC_URL: "https://tickets.example.com",
    });
  });
  after(async () => {
    await srv.close();
    idp.close();
  });

  const sign = (claims: Record<string, unknown>, sub: string | null = "client-42") =>
    idp.sign(claims, { sub });
  const searchAll = async (token: string) => {
    const client = new Client({ name: "hardening", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(srv.url), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    try {
      return sc<{ total: number; tickets: { user_id: string }[] }>(
        await client.callTool({ name: "search_tickets", arguments: { limit: 100 } }),
      );
    } finally {
      await client.close();
    }
  };

  test("a user claim that is not a user id is refused, never read as an agent", async () => {
    for (const bad of [104, ["user104"], "", null, { id: "user104" }, "user 104", true]) {
      const token = await sign({ scope: "tickets:read tickets:read:all", user_id: bad });
      const res = await rpc(srv.url, INITIALIZE, { authorization: `Bearer ${token}` });
      assert.equal(res.status, 403, `user_id ${JSON.stringify(bad)}`);
      const challenge = res.headers.get("www-authenticate") ?? "";
      assert.match(challenge, /error="invalid_token"/);
      assert.match(
        challenge,
        /error_description="The access token's user_id claim must be a user id/,
      );
      const body = (await res.json()) as { error: { message: string } };
      assert.match(body.error.message, /user_id claim must be a user id/);
    }
  });

  test("without a user claim, only the agent scope makes an agent", async () => {
    const plain = await rpc(srv.url, INITIALIZE, {
      authorization: `Bearer ${await sign({ scope: "tickets:read" })}`,
    });
    assert.equal(plain.status, 403);
    assert.match(
      plain.headers.get("www-authenticate") ?? "",
      /error="insufficient_scope", scope="tickets:read:all", error_description="The access token names no customer/,
    );
    const agent = await searchAll(await sign({ scope: "tickets:read tickets:read:all" }));
    assert.equal(agent.total, 50);
    // Both a user claim and the agent scope: the narrower grant wins.
    const both = await searchAll(
      await sign({ scope: "tickets:read tickets:read:all", user_id: "User110" }),
    );
    assert.ok(both.total > 0 && both.total < 50);
    assert.ok(both.tickets.every((t) => t.user_id === "user110"));
  });

  test("a token without sub is refused", async () => {
    const res = await rpc(srv.url, INITIALIZE, {
      authorization: `Bearer ${await sign({ scope: "tickets:read tickets:read:all" }, null)}`,
    });
    assert.equal(res.status, 401);
    assert.match(res.headers.get("www-authenticate") ?? "", /error="invalid_token"/);
    assert.match(await res.text(), /no sub claim/);
  });

  test("same sub, other user or role: the session answers 404 to anyone but its opener", async () => {
    const owner = await sign({ scope: "tickets:read", user_id: "user104" }, "shared-sub");
    const session = await openSession(srv.url, owner);
    const mine = await call(srv.url, session, "tools/list", {}, owner);
    assert.equal(mine.status, 200);
    for (const other of [
      await sign({ scope: "tickets:read", user_id: "user123" }, "shared-sub"),
      await sign({ scope: "tickets:read tickets:read:all" }, "shared-sub"),
    ]) {
      const res = await call(srv.url, session, "tools/list", {}, other);
      assert.equal(res.status, 404);
      assert.match(JSON.stringify(res.body), /Session not found/);
    }
  });
});

describe("abuse controls", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "mcp-hardening-"));
  const AGENT = "agent-token-1234567890";
  const CUSTOMER = "customer-token-1234567890";
  const tokensFile = path.join(dir, "tokens.json");
  writeFileSync(
    tokensFile,
    JSON.stringify({
      tokens: [
        { name: "support-bot", role: "agent", sha256: hashToken(AGENT) },
        { name: "acme", role: "customer", user_id: "user123", sha256: hashToken(CUSTOMER) },
      ],
    }),
  );
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("a flood of bad tokens from one address never refuses a valid token", async () => {
    const srv = await startTestServer(store, {
      AUTH_TOKENS_FILE: tokensFile,
      RATE_LIMIT_PER_MINUTE: "60",
      RATE_LIMIT_BURST: "5",
    });
    try {
      const statuses = { bad: [] as number[], good: [] as number[] };
      for (let i = 0; i < 12; i++) {
        const bad = await rpc(srv.url, INITIALIZE, { authorization: `Bearer guess-${i}` });
        statuses.bad.push(bad.status);
        await bad.text();
        if (i % 3 === 2) {
          const good = await rpc(srv.url, INITIALIZE, { authorization: `Bearer ${AGENT}` });
          statuses.good.push(good.status);
          await good.text();
        }
      }
      assert.deepEqual(statuses.good, [200, 200, 200, 200]);
      assert.deepEqual(statuses.bad.slice(0, 5), [401, 401, 401, 401, 401]);
      assert.ok(
        statuses.bad.slice(5).every((s) => s === 429),
        JSON.stringify(statuses.bad),
      );
    } finally {
      await srv.close();
    }
  });

  test("one principal cannot take every session: over its cap its oldest idle one makes room", async () => {
    const srv = await startTestServer(store, {
      AUTH_TOKENS_FILE: tokensFile,
      MCP_MAX_SESSIONS: "6",
      MCP_MAX_SESSIONS_PER_PRINCIPAL: "3",
      RATE_LIMIT_PER_MINUTE: "0",
    });
    try {
      // A burst of initializes cannot overshoot the cap.
      await Promise.all(Array.from({ length: 10 }, () => openSession(srv.url, CUSTOMER)));
      assert.equal(srv.mcp.sessions.size, 3);
      const first = await openSession(srv.url, CUSTOMER);
      const second = await openSession(srv.url, CUSTOMER);
      assert.equal(srv.mcp.sessions.size, 3);
      assert.equal((await call(srv.url, second, "tools/list", {}, CUSTOMER)).status, 200);
      assert.equal((await call(srv.url, first, "tools/list", {}, CUSTOMER)).status, 200);
      // The agent is unaffected by the customer's sessions.
      for (let i = 0; i < 3; i++) await openSession(srv.url, AGENT);
      assert.equal(srv.mcp.sessions.size, 6);
    } finally {
      await srv.close();
    }
  });

  test("when the identity provider's keys are out of reach, valid tokens get 503 'retry', never 401 or 429", async () => {
    const audience = "https://tickets.example.com/mcp";
    const idp = await startTestIssuer(audience);
    const srv = await startTestServer(store, {
      OAUTH_ISSUER: idp.issuer,
      OAUTH_JWKS_URL: idp.jwksUrl,
      PUBLIC_URL: "https://tickets.example.com",
      RATE_LIMIT_PER_MINUTE: "60",
      RATE_LIMIT_BURST: "3",
    });
    const token = await idp.sign({ scope: "tickets:read tickets:read:all" }, { sub: "bot" });
    idp.close(); // its JWKS endpoint is gone before the server ever fetched it
    try {
      // Before: each was "invalid token" (401), charged to the address as a bad guess,
      // so after the burst every valid caller got 429.
      for (let i = 0; i < 6; i++) {
        const res = await rpc(srv.url, INITIALIZE, { authorization: `Bearer ${token}` });
        const body = await res.text();
        assert.equal(res.status, 503, body);
        assert.equal(res.headers.get("retry-after"), "10");
        assert.match(body, /Cannot verify access tokens right now; retry shortly/);
      }
      const said = srv.logs.filter((l) => String(l.msg).startsWith("cannot verify OAuth tokens"));
      assert.equal(said.length, 1, "the outage is logged once, not per request");
    } finally {
      await srv.close();
    }
  });

  test("without tokens, each client address is its own owner: it can neither crowd out nor use another's sessions", async () => {
    // Behind a proxy (TRUST_PROXY), the address is the forwarded client's. Before, every
    // caller without a token was one owner: one client's sessions closed everyone's.
    const srv = await startTestServer(store, {
      TRUST_PROXY: "loopback",
      MCP_MAX_SESSIONS_PER_PRINCIPAL: "2",
      RATE_LIMIT_PER_MINUTE: "0",
    });
    const from = (address: string) => ({ "x-forwarded-for": address });
    const open = async (address: string) => {
      const res = await rpc(srv.url, INITIALIZE, from(address));
      assert.equal(res.status, 200);
      await res.text();
      return res.headers.get("mcp-session-id")!;
    };
    const list = async (id: string, address: string) => {
      const res = await rpc(
        srv.url,
        { jsonrpc: "2.0", id: 2, method: "tools/list" },
        { ...sessionHeaders(id), ...from(address) },
      );
      await res.text();
      return res.status;
    };
    try {
      const alice = await open("203.0.113.5");
      for (let i = 0; i < 3; i++) await open("203.0.113.6");
      assert.equal(await list(alice, "203.0.113.5"), 200, "another client's sessions leave it be");
      assert.equal(await list(alice, "203.0.113.6"), 404, "nor may another client use it");
      assert.equal(srv.mcp.sessions.size, 3, "the second client kept to its cap of 2");
    } finally {
      await srv.close();
    }
  });

  test("at its cap with every session busy, a principal's new one is refused clearly", async () => {
    const srv = await startTestServer(store, {
      AUTH_TOKENS_FILE: tokensFile,
      MCP_MAX_SESSIONS_PER_PRINCIPAL: "2",
      RATE_LIMIT_PER_MINUTE: "0",
    });
    const streams: AbortController[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const id = await openSession(srv.url, CUSTOMER);
        const abort = new AbortController();
        streams.push(abort);
        // An open GET stream keeps the session busy.
        const res = await fetch(srv.url, {
          headers: { accept: "text/event-stream", ...sessionHeaders(id, CUSTOMER) },
          signal: abort.signal,
        });
        assert.equal(res.status, 200);
      }
      const refused = await rpc(srv.url, INITIALIZE, { authorization: `Bearer ${CUSTOMER}` });
      assert.equal(refused.status, 503);
      assert.equal(refused.headers.get("retry-after"), "30");
      const refusal = (await refused.json()) as { id: unknown; error: { message: string } };
      assert.match(
        refusal.error.message,
        /already has 2 sessions open, all busy; end one with DELETE/,
      );
      assert.equal(refusal.id, INITIALIZE.id, "the answer names the request it refuses");
      assert.equal(
        (await rpc(srv.url, INITIALIZE, { authorization: `Bearer ${AGENT}` })).status,
        200,
      );
    } finally {
      for (const abort of streams) abort.abort();
      await srv.close();
    }
  });
});

describe("malformed requests and hostile arguments", () => {
  let srv: TestServer;
  let session: string;
  before(async () => {
    srv = await startTestServer(store);
    session = await openSession(srv.url);
  });
  after(() => srv.close());

  const noDump = (message: string) => {
    assert.doesNotMatch(message, /\[\s*\{|"code":|invalid_type|invalid_union|\n/);
  };

  test("malformed parameters are -32602 with one sentence naming the parameter", async () => {
    const cases: [string, unknown, RegExp][] = [
      ["tools/call", { arguments: {} }, /params\.name is required/],
      [
        "tools/call",
        { name: "search_tickets", arguments: "x" },
        /params\.arguments must be an object \(got "x"\)/,
      ],
      [
        "tools/call",
        { name: "search_tickets", arguments: [1] },
        /params\.arguments must be an object/,
      ],
      [
        "completion/complete",
        { ref: { type: "ref/bogus" }, argument: { name: "a", value: "" } },
        /params\.ref must be an object \{"type": "ref\/prompt", "name"\} or/,
      ],
      [
        "completion/complete",
        { ref: { type: "ref/prompt", name: "triage_tickets" } },
        /params\.argument is required/,
      ],
      [
        "logging/setLevel",
        { level: "loud" },
        /params\.level must be one of debug, info, .* \(got "loud"\)/,
      ],
      [
        "prompts/get",
        { name: "triage_tickets", arguments: { category: 5 } },
        /params\.arguments\.category must be a string \(got 5\)/,
      ],
      ["resources/read", {}, /params\.uri is required/],
      [
        "resources/read",
        { uri: "ticket://%ZZ" },
        /Invalid resource URI "ticket:\/\/%ZZ": the ticket id is not valid percent-encoding/,
      ],
    ];
    for (const [method, params, expected] of cases) {
      const { body } = await call(srv.url, session, method, params);
      const error = body.error as { code: number; message: string };
      assert.equal(
        error?.code,
        -32602,
        `${method} ${JSON.stringify(params)}: ${JSON.stringify(body)}`,
      );
      assert.match(error.message, expected);
      noDump(error.message);
    }
    // The session still serves afterwards.
    const ok = await call(srv.url, session, "tools/call", {
      name: "get_ticket",
      arguments: { ticket_id: "TKT-0001" },
    });
    assert.equal((ok.body.result as CallToolResult).isError, undefined);
  });

  // SEP-2164 (2026-07-28): resource not found is -32602 with data {uri} on every revision
  // (the SDK v2 emits exactly that; clients also accept the older -32002).
  test("an unknown ticket resource is 'resource not found': -32602 with data.uri", async () => {
    const { body } = await call(srv.url, session, "resources/read", { uri: "ticket://TKT-9999" });
    const error = body.error as { code: number; message: string; data?: unknown };
    assert.equal(error.code, -32602);
    assert.deepEqual(error.data, { uri: "ticket://TKT-9999" });
    assert.equal(
      error.message,
      'Ticket "TKT-9999" not found. Ticket ids look like TKT-0001; use search_tickets to find one.',
    );
  });

  test("completion names like __proto__ or toString are unknown arguments, not builtins", async () => {
    const refs = [
      { type: "ref/resource", uri: "ticket://{ticket_id}" },
      { type: "ref/prompt", name: "triage_tickets" },
    ];
    for (const ref of refs) {
      const unknown = await call(srv.url, session, "completion/complete", {
        ref,
        argument: { name: "nope", value: "" },
      });
      for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"]) {
        const { body } = await call(srv.url, session, "completion/complete", {
          ref,
          argument: { name, value: "" },
        });
        assert.deepEqual(
          body.result,
          unknown.body.result,
          `${ref.type} ${name}: ${JSON.stringify(body)}`,
        );
        assert.deepEqual(
          (body.result as { completion: { values: unknown } }).completion.values,
          [],
        );
      }
    }
    // The real argument still completes.
    const real = await call(srv.url, session, "completion/complete", {
      ref: refs[0],
      argument: { name: "ticket_id", value: "TKT-000" },
    });
    assert.equal(
      (real.body.result as { completion: { values: string[] } }).completion.values.length,
      9,
    );
  });

  const search = async (args: Record<string, unknown>, tool = "search_tickets") => {
    const { body } = await call(srv.url, session, "tools/call", { name: tool, arguments: args });
    return body.result as CallToolResult;
  };

  test("every string argument has a length limit, and errors quote at most ~80 characters", async () => {
    const huge = "x".repeat(10_000);
    const fields: [string, string][] = [
      ["user_id", "search_tickets"],
      ["status", "search_tickets"],
      ["priority", "search_tickets"],
      ["category", "search_tickets"],
      ["keyword", "search_tickets"],
      ["assigned_to", "search_tickets"],
      ["created_after", "search_tickets"],
      ["updated_before", "search_tickets"],
      ["sort", "search_tickets"],
      ["cursor", "search_tickets"],
      ["group_by", "ticket_stats"],
      ["ticket_id", "get_ticket"],
    ];
    for (const [field, tool] of fields) {
      const result = await search({ [field]: huge }, tool);
      assert.equal(result.isError, true, field);
      const message = text(result);
      assert.match(
        message,
        new RegExp(
          `^Invalid ${field} "x+"… \\(10000 characters\\): must be at most \\d+ characters\\.$`,
        ),
      );
      assert.ok(message.length < 160, `${field}: ${message.length} characters`);
    }
    const list = await search({ category: ["billing", huge] });
    assert.match(text(list), /^Invalid category "x+"… \(10000 characters\)/);
    // Escaped, then cut between characters: 81 NULs are not 470 characters of escapes.
    const nuls = text(await search({ keyword: "\u0000".repeat(81) }));
    assert.ok(nuls.length < 200, `${nuls.length}: ${nuls}`);
    assert.match(nuls, /^Invalid keyword "(\\u0000)+"… \(81 characters\)/);
    // Names and URIs the SDK would echo whole in "not found" answers.
    for (const [method, params] of [
      ["tools/call", { name: huge, arguments: {} }],
      ["prompts/get", { name: huge }],
      ["resources/read", { uri: `ticket://${huge}` }],
    ] as const) {
      const { body } = await call(srv.url, session, method, params);
      const error = body.error as { code: number; message: string };
      assert.equal(error.code, -32602, method);
      assert.match(error.message, /^Invalid params: params\.(name|uri) must be at most/);
      assert.ok(error.message.length < 200, `${method}: ${error.message.length}`);
    }
  });

  test("control characters are rejected in every string argument with the same clear error", async () => {
    for (const [field, value] of [
      ["user_id", "user1\u0000"],
      ["assigned_to", "dev_team\u0007"],
      ["keyword", "login\u0000"],
      ["status", "open\u001b"],
      ["created_after", "2025-01-01\u0000"],
    ] as const) {
      const result = await search({ [field]: value });
      assert.equal(result.isError, true, field);
      assert.match(
        text(result),
        new RegExp(
          `^Invalid ${field} ".*\\\\u00[01][0-9a-f]": must not contain control characters`,
        ),
      );
    }
    const get = await search({ ticket_id: "TKT-0001\u0000" }, "get_ticket");
    assert.match(
      text(get),
      /^Invalid ticket_id "TKT-0001\\u0000": must not contain control characters/,
    );
    // Tabs and line breaks in a keyword are only white space.
    const spaced = sc<{ total: number }>(await search({ keyword: "login\tfailed" }));
    const plain = sc<{ total: number }>(await search({ keyword: "login failed" }));
    assert.equal(spaced.total, plain.total);
  });

  test("ISO dates in the years 0000-0099 are dates like any other", async () => {
    assert.equal(parseIsoDate("0050-01-01"), Date.parse("0050-01-01T00:00:00Z"));
    assert.equal(parseIsoDate("0000-01-01"), Date.parse("0000-01-01T00:00:00Z"));
    assert.equal(
      parseIsoDate("0048-02-29"),
      Date.parse("0048-02-29T00:00:00Z"),
      "48 is a leap year",
    );
    assert.equal(parseIsoDate("0050-02-29"), undefined, "50 is not");
    const after = await search({ created_after: "0050-01-01", limit: 1 });
    assert.equal(after.isError, undefined, text(after));
    assert.equal(sc<{ total: number }>(after).total, 50);
    assert.deepEqual(sc<{ filters: unknown }>(after).filters, {
      created_after: "0050-01-01T00:00:00Z",
    });
    const before = await search({ created_before: "0099-12-31" });
    assert.equal(sc<{ total: number }>(before).total, 0);
  });
});
