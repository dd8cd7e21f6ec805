/**
 * The client half of scripts/nginx-check.sh: talks to the server through nginx over
 * HTTPS (deploy/nginx/mcp-tickets.conf with a self-signed certificate) and prints one
 * `  PASS name` or `  FAIL name: why` line per check; the shell counts them.
 *
 *   nginxSession.ts session --base https://localhost:PORT --http http://localhost:PORT
 *                           --upstream http://127.0.0.1:PORT --probe https://localhost:PORT
 *                           --probe-upstream-port PORT
 *                           --replicas http://127.0.0.1:PORT,http://127.0.0.1:PORT
 *                           --access-log FILE  (nginx's: "$http_mcp_protocol_version|$status|$upstream_addr")
 *   nginxSession.ts down --base https://localhost:PORT      (after the server stopped)
 *
 * Run with NODE_EXTRA_CA_CERTS=cert.pem (fetch and node:http2 then trust the test
 * certificate) and the network guard. MCP_TOKEN is sent as the bearer token (the server
 * runs with a tokens file and OAuth configured).
 */
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { connect as http2Connect } from "node:http2";
import { parseArgs } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { MODERN_VERSION, modernHeaders, modernRequest } from "../bench/httpLoad.js";

const PROTOCOL_VERSION = "2025-11-25";
const REQUEST_TIMEOUT_MS = 10_000;

let failures = 0;

async function check(name: string, run: () => Promise<string | void>): Promise<void> {
  try {
    const detail = await run();
    console.log(`  PASS ${name}${detail ? ` (${detail})` : ""}`);
  } catch (err) {
    failures++;
    console.log(`  FAIL ${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function expect(ok: boolean, message: string): asserts ok {
  if (!ok) throw new Error(message);
}

const token = process.env.MCP_TOKEN ?? "";
const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};

function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    headers: { ...auth, ...headers },
    redirect: "manual",
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...auth,
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

const initialize = (id: number) => ({
  jsonrpc: "2.0",
  id,
  method: "initialize",
  params: {
    protocolVersion: PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: "nginx-check", version: "1" },
  },
});

interface RpcMessage {
  id?: number;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

/** The JSON-RPC messages in an SSE body (`data:` lines of each event). */
function sseMessages(text: string): RpcMessage[] {
  return text
    .split(/\r?\n\r?\n/)
    .map((event) =>
      event
        .split(/\r?\n/)
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart())
        .join("\n"),
    )
    .filter((data) => data !== "")
    .map((data) => JSON.parse(data) as RpcMessage);
}

/** Reads a streamed POST answer and returns the response to request `id`. */
async function sseResponse(res: Response, id: number): Promise<RpcMessage> {
  const type = res.headers.get("content-type") ?? "";
  if (res.status !== 200) throw new Error(`status ${res.status}: ${await excerpt(res)}`);
  expect(type.startsWith("text/event-stream"), `content-type ${type}, not text/event-stream`);
  const message = sseMessages(await res.text()).find((m) => m.id === id);
  expect(message !== undefined, `no response to request ${id} in the stream`);
  expect(message.error === undefined, `error ${JSON.stringify(message.error)}`);
  return message;
}

async function excerpt(res: Response): Promise<string> {
  return (await res.text()).slice(0, 200);
}

type Reader = ReadableStreamDefaultReader<Uint8Array>;

/** Reads until the stream ends or `ms` pass; true when it ended. */
async function endsWithin(reader: Reader, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), left);
    });
    const next = await Promise.race([reader.read(), timeout]);
    clearTimeout(timer);
    if (next === "timeout") return false;
    if (next.done) return true;
  }
}

async function session(args: Record<string, string | undefined>): Promise<void> {
  const base = need(args, "base");
  const plain = need(args, "http");
  const upstream = need(args, "upstream");
  const mcp = `${base}/mcp`;

  await check("GET /healthz through nginx is 200 with HSTS", async () => {
    const res = await get(`${base}/healthz`);
    const body = (await res.json()) as { status?: string };
    expect(res.status === 200 && body.status === "ok", `status ${res.status}`);
    const hsts = res.headers.get("strict-transport-security");
    expect(hsts !== null, "no Strict-Transport-Security header");
    return hsts;
  });

  await check("plain HTTP redirects to HTTPS", async () => {
    const res = await get(`${plain}/mcp`);
    const location = res.headers.get("location") ?? "";
    expect(res.status === 301, `status ${res.status}`);
    expect(location.startsWith("https://localhost/mcp"), `Location ${location}`);
    return `301 -> ${location}`;
  });

  // Routes whose answer depends on the server's features (readiness, OAuth metadata):
  // nginx must hand on exactly what the server says.
  for (const path of [
    "/readyz",
    "/.well-known/oauth-protected-resource",
    "/.well-known/oauth-protected-resource/mcp",
  ]) {
    await check(`${path} is proxied unchanged`, async () => {
      const [direct, proxied] = await Promise.all([get(upstream + path), get(base + path)]);
      const [a, b] = await Promise.all([direct.text(), proxied.text()]);
      expect(
        direct.status === proxied.status && a === b,
        `server says ${direct.status} ${a.slice(0, 80)}, nginx ${proxied.status} ${b.slice(0, 80)}`,
      );
      return `${proxied.status}, as from the server`;
    });
  }

  await check("/metrics is not reachable through nginx", async () => {
    const [direct, proxied] = await Promise.all([
      get(`${upstream}/metrics`),
      get(`${base}/metrics`),
    ]);
    await Promise.all([direct.body?.cancel(), proxied.body?.cancel()]);
    expect([403, 404].includes(proxied.status), `nginx answered ${proxied.status}`);
    return `nginx ${proxied.status}; the server itself answers ${direct.status}`;
  });

  await check("other paths are 404 (JSON)", async () => {
    const res = await get(`${base}/admin`);
    const body = (await res.json()) as RpcMessage;
    expect(res.status === 404 && body.error !== undefined, `status ${res.status}`);
  });

  await check("the server sees the public host name", async () => {
    // GET /mcp without text/event-stream answers with the endpoint note built from the
    // Host header (and, with TRUST_PROXY, X-Forwarded-Proto).
    const res = await get(mcp, { accept: "application/json" });
    const note = (await res.json()) as { endpoint?: string };
    const url = new URL(note.endpoint ?? "http://invalid");
    expect(url.hostname === "localhost", `endpoint ${note.endpoint}`);
    return note.endpoint;
  });

  // nginx-check.sh configures a static token and OAuth, so the server must demand a
  // token; the session below then proves Authorization gets through, this the answer.
  let challenge = "";
  await check("no token: 401 with WWW-Authenticate through nginx", async () => {
    const res = await fetch(mcp, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify(initialize(0)),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await res.body?.cancel();
    challenge = res.headers.get("www-authenticate") ?? "";
    expect(res.status === 401 && challenge !== "", `status ${res.status}, "${challenge}"`);
    return challenge;
  });

  await check("the challenge's metadata URL works through nginx", async () => {
    // What an OAuth client does next: fetch the pointer and read the resource it names.
    const pointer = /resource_metadata="([^"]+)"/.exec(challenge)?.[1] ?? "";
    expect(pointer.startsWith(`${base}/`), `resource_metadata "${pointer}" is not behind nginx`);
    const res = await get(pointer);
    const metadata = (await res.json()) as { resource?: string };
    expect(res.status === 200, `status ${res.status}`);
    expect(metadata.resource === mcp, `resource ${metadata.resource}, expected ${mcp}`);
    return `resource ${metadata.resource}`;
  });

  await check("SDK client: initialize, tools/list, tools/call, DELETE", async () => {
    const client = new Client({ name: "nginx-check", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(mcp), {
      requestInit: { headers: auth },
    });
    try {
      await client.connect(transport);
      expect(transport.sessionId !== undefined, "no Mcp-Session-Id came back");
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      expect(names.includes("search_tickets"), `tools: ${names.join(", ")}`);
      const result = await client.callTool({
        name: "search_tickets",
        arguments: { status: "open", priority: "critical" },
      });
      const total = (result.structuredContent as { total?: number } | undefined)?.total;
      expect(!result.isError && typeof total === "number" && total > 0, "no tickets found");
      await transport.terminateSession();
      return `${names.length} tools, ${total} open critical tickets, session ended`;
    } finally {
      await client.close();
    }
  });

  // The same over raw HTTP, to see what the SDK hides: content types, the session
  // header, the GET stream's lifetime.
  let sessionId = "";
  const inSession = () => ({
    "mcp-session-id": sessionId,
    "mcp-protocol-version": PROTOCOL_VERSION,
  });

  await check("raw initialize answers as text/event-stream with Mcp-Session-Id", async () => {
    const res = await post(mcp, initialize(1));
    sessionId = res.headers.get("mcp-session-id") ?? "";
    const message = await sseResponse(res, 1);
    expect(sessionId !== "", "no Mcp-Session-Id header");
    const initialized = await post(
      mcp,
      { jsonrpc: "2.0", method: "notifications/initialized" },
      inSession(),
    );
    expect(initialized.status === 202, `notifications/initialized: ${initialized.status}`);
    return `protocol ${String(message.result?.protocolVersion)}`;
  });

  await check("raw tools/call answers as an SSE event", async () => {
    const started = Date.now();
    const res = await post(
      mcp,
      {
        jsonrpc: "2.0",
        id: 2,
        method: "tools/call",
        params: { name: "search_tickets", arguments: { category: "security", limit: 3 } },
      },
      inSession(),
    );
    const message = await sseResponse(res, 2);
    const total = (message.result?.structuredContent as { total?: number } | undefined)?.total;
    expect(typeof total === "number", "no structuredContent.total");
    return `${total} security tickets in ${Date.now() - started} ms`;
  });

  await check("a body under the limit passes (200 KB ping)", async () => {
    const padded = JSON.stringify({ jsonrpc: "2.0", id: 3, method: "ping" }) + " ".repeat(200_000);
    await sseResponse(await post(mcp, padded, inSession()), 3);
  });

  await check("a body over the limit gets 413 as JSON-RPC (300 KB)", async () => {
    const padded = JSON.stringify({ jsonrpc: "2.0", id: 4, method: "ping" }) + " ".repeat(300_000);
    const res = await post(mcp, padded, inSession());
    const body = (await res.json()) as RpcMessage;
    expect(res.status === 413 && body.error?.code === -32600, `status ${res.status}`);
  });

  await check("GET SSE stream stays open, then ends on DELETE", async () => {
    const stream = await get(mcp, { accept: "text/event-stream", ...inSession() });
    const type = stream.headers.get("content-type") ?? "";
    if (stream.status !== 200) {
      throw new Error(`GET status ${stream.status}: ${await excerpt(stream)}`);
    }
    expect(type.startsWith("text/event-stream"), `content-type ${type}`);
    const reader = stream.body!.getReader();
    try {
      expect(!(await endsWithin(reader, 1000)), "the stream ended within 1 s");
      const deleted = await fetch(mcp, {
        method: "DELETE",
        headers: { ...auth, ...inSession() },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await deleted.body?.cancel();
      expect(deleted.status === 200, `DELETE status ${deleted.status}`);
      const started = Date.now();
      expect(await endsWithin(reader, 3000), "the stream was still open 3 s after DELETE");
      return `open 1 s; ended ${Date.now() - started} ms after DELETE`;
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  });

  await check("the deleted session is gone (404)", async () => {
    const res = await post(mcp, { jsonrpc: "2.0", id: 5, method: "ping" }, inSession());
    await res.body?.cancel();
    expect(res.status === 404, `status ${res.status}`);
  });

  const replicas = need(args, "replicas").split(",");
  await check(`2025 sessions stay on one replica of ${replicas.length}`, () =>
    sessionAffinity(mcp, replicas),
  );
  await modernSpread(mcp, replicas, need(args, "access-log"));

  await check("HTTP/2: initialize streams as text/event-stream", () => http2Initialize(base));

  await check("no buffering: an SSE event arrives before the stream ends", () =>
    bufferingProbe(need(args, "probe"), Number(need(args, "probe-upstream-port"))),
  );
}

const SESSIONS = 8; // with two replicas and no affinity, all 8 working by chance: 1 in 256

/**
 * Opens SESSIONS 2025 sessions through nginx and runs each one whole (initialize,
 * initialized, tools/list, tools/call, GET SSE, DELETE, then 404): any request nginx
 * sent to a replica other than the session's would get 404. Then asks every replica
 * directly which of them holds each session: exactly one must.
 */
async function sessionAffinity(mcp: string, replicas: string[]): Promise<string> {
  const owners = new Map<string, number>();
  for (let i = 0; i < SESSIONS; i++) {
    const step = (what: string) => (err: unknown) => {
      throw new Error(
        `session ${i + 1}, ${what}: ${err instanceof Error ? err.message : String(err)}`,
      );
    };
    const res = await post(mcp, initialize(1));
    const id = res.headers.get("mcp-session-id") ?? "";
    await sseResponse(res, 1).catch(step("initialize"));
    expect(id !== "", `session ${i + 1}: no Mcp-Session-Id`);
    const headers = { "mcp-session-id": id, "mcp-protocol-version": PROTOCOL_VERSION };
    const initialized = await post(
      mcp,
      { jsonrpc: "2.0", method: "notifications/initialized" },
      headers,
    );
    expect(initialized.status === 202, `session ${i + 1}: initialized ${initialized.status}`);
    const list = await sseResponse(
      await post(mcp, { jsonrpc: "2.0", id: 2, method: "tools/list" }, headers),
      2,
    ).catch(step("tools/list"));
    expect(Array.isArray(list.result?.tools), `session ${i + 1}: tools/list without tools`);
    await sseResponse(
      await post(
        mcp,
        {
          jsonrpc: "2.0",
          id: 3,
          method: "tools/call",
          params: { name: "ticket_stats", arguments: { group_by: "status" } },
        },
        headers,
      ),
      3,
    ).catch(step("tools/call"));
    const stream = await get(mcp, { accept: "text/event-stream", ...headers });
    const reader = stream.body!.getReader();
    try {
      expect(stream.status === 200, `session ${i + 1}: GET SSE status ${stream.status}`);
      // Who holds it: each replica asked directly (not through nginx).
      const holders: number[] = [];
      for (const [n, replica] of replicas.entries()) {
        const ping = await post(
          `${replica}/mcp`,
          { jsonrpc: "2.0", id: 4, method: "ping" },
          headers,
        );
        await ping.body?.cancel();
        if (ping.status === 200) holders.push(n);
        else
          expect(ping.status === 404, `session ${i + 1}: ${replica} answered ping ${ping.status}`);
      }
      expect(holders.length === 1, `session ${i + 1} is held by ${holders.length} replicas`);
      owners.set(replicas[holders[0]!]!, (owners.get(replicas[holders[0]!]!) ?? 0) + 1);
      const deleted = await fetch(mcp, {
        method: "DELETE",
        headers: { ...auth, ...headers },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await deleted.body?.cancel();
      expect(deleted.status === 200, `session ${i + 1}: DELETE ${deleted.status}`);
      expect(await endsWithin(reader, 3000), `session ${i + 1}: GET stream open after DELETE`);
    } finally {
      await reader.cancel().catch(() => undefined);
    }
    const after = await post(mcp, { jsonrpc: "2.0", id: 5, method: "ping" }, headers);
    await after.body?.cancel();
    expect(after.status === 404, `session ${i + 1}: after DELETE ${after.status}, not 404`);
  }
  const spread = [...owners].map(([r, n]) => `${n} on :${new URL(r).port}`).join(", ");
  // One client address: the key is the same for all, so one replica holds them all.
  return `${SESSIONS} sessions, every request on its replica; ${spread}`;
}

const MODERN_REQUESTS = 16; // both replicas unused by a random key: 2 in 65,536

/**
 * 2026-07-28 requests carry no session, so nginx may send each to any replica: all are
 * answered, and nginx's access log shows both replicas among them.
 */
async function modernSpread(mcp: string, replicas: string[], accessLog: string): Promise<void> {
  const name = `2026-07-28 requests without a session are served by all ${replicas.length} replicas`;
  const probe = await post(
    mcp,
    modernRequest(1, "server/discover", {}),
    modernHeaders("server/discover", {}),
  );
  const body = (await probe.json().catch(() => ({}))) as RpcMessage;
  await check(name, async () => {
    expect(
      probe.status === 200 && body.result !== undefined,
      `server/discover: ${probe.status} ${JSON.stringify(body).slice(0, 200)}`,
    );
    const versions = (body.result as { supportedVersions?: string[] }).supportedVersions ?? [];
    expect(versions.includes(MODERN_VERSION), `supportedVersions ${JSON.stringify(versions)}`);
    const before = (await readFile(accessLog, "utf8")).split("\n").length - 1;
    const params = { name: "ticket_stats", arguments: { group_by: "priority" } };
    for (let i = 0; i < MODERN_REQUESTS; i++) {
      const res = await post(
        mcp,
        modernRequest(10 + i, "tools/call", params),
        modernHeaders("tools/call", params),
      );
      const type = res.headers.get("content-type") ?? "";
      const text = await res.text();
      const message = type.startsWith("text/event-stream")
        ? sseMessages(text).find((m) => m.id === 10 + i)
        : (JSON.parse(text) as RpcMessage);
      expect(
        res.status === 200 && message?.result !== undefined,
        `request ${i + 1}: ${res.status} ${text.slice(0, 200)}`,
      );
      expect(res.headers.get("mcp-session-id") === null, `request ${i + 1} was given a session`);
    }
    const lines = (await readFile(accessLog, "utf8")).split("\n").slice(before);
    // "$http_mcp_protocol_version|$status|$upstream_addr" (see nginx-check.sh).
    const used = new Set(
      lines.filter((l) => l.startsWith(`${MODERN_VERSION}|`)).map((l) => l.split("|")[2]),
    );
    const ports = replicas.map((r) => new URL(r).port);
    const missing = ports.filter((p) => ![...used].some((u) => u?.endsWith(`:${p}`)));
    expect(
      missing.length === 0,
      `replicas on :${missing.join(", :")} got none of ${MODERN_REQUESTS} requests (nginx used ${[...used].join(" ")})`,
    );
    return `${MODERN_REQUESTS} tools/call answered, spread over ${[...used].join(" and ")}`;
  });
}

/** initialize over HTTP/2 (node:http2; fetch speaks HTTP/1.1), then DELETE the session. */
async function http2Initialize(base: string): Promise<string> {
  const client = http2Connect(base);
  client.on("error", () => undefined); // reported through the request below
  const request = (headers: Record<string, string>, body?: string) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
      (resolve, reject) => {
        const req = client.request({ ":path": "/mcp", ...auth, ...headers });
        req.setTimeout(REQUEST_TIMEOUT_MS, () => req.close());
        let status = 0;
        let responseHeaders: Record<string, unknown> = {};
        let text = "";
        req.on("response", (h) => {
          status = Number(h[":status"]);
          responseHeaders = h;
        });
        req.setEncoding("utf8");
        req.on("data", (chunk: string) => (text += chunk));
        req.on("end", () => resolve({ status, headers: responseHeaders, body: text }));
        req.on("error", reject);
        req.end(body);
      },
    );
  try {
    const init = await request(
      {
        ":method": "POST",
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      JSON.stringify(initialize(1)),
    );
    const type = String(init.headers["content-type"] ?? "");
    expect(init.status === 200, `status ${init.status}: ${init.body.slice(0, 200)}`);
    expect(type.startsWith("text/event-stream"), `content-type ${type}`);
    const message = sseMessages(init.body).find((m) => m.id === 1);
    expect(message?.result !== undefined, "no initialize result");
    expect(client.alpnProtocol === "h2", `ALPN ${client.alpnProtocol}`);
    const id = String(init.headers["mcp-session-id"] ?? "");
    const ended = await request({
      ":method": "DELETE",
      "mcp-session-id": id,
      "mcp-protocol-version": PROTOCOL_VERSION,
    });
    expect(ended.status === 200, `DELETE status ${ended.status}`);
    return "ALPN h2";
  } finally {
    client.close();
  }
}

/**
 * Our server writes nothing on its own during a short session (its GET stream carries
 * only a keep-alive comment every 15 s), so buffering is proven against a stand-in
 * upstream behind the same site file: one event now, the next 1.5 s later. A proxy
 * that buffers delivers both together at the end. The stand-in leaves out the
 * X-Accel-Buffering: no header the SDK sends, so it tests the site's own settings.
 */
async function bufferingProbe(probe: string, port: number): Promise<string> {
  const upstream = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.write("event: message\ndata: first\n\n");
    setTimeout(() => res.end("event: message\ndata: second\n\n"), 1500).unref();
  });
  upstream.listen(port, "127.0.0.1");
  await once(upstream, "listening");
  try {
    const started = Date.now();
    const res = await get(`${probe}/mcp`, { accept: "text/event-stream" });
    expect(res.status === 200, `status ${res.status}`);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes("data: first")) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    const firstMs = Date.now() - started;
    await reader.cancel();
    expect(text.includes("data: first"), "the first event never arrived");
    expect(firstMs < 1000, `the first event took ${firstMs} ms: nginx held it back`);
    return `first event after ${firstMs} ms, the second is due at 1500 ms`;
  } finally {
    upstream.closeAllConnections();
    upstream.close();
  }
}

/** After the server stopped: nginx answers for it in JSON-RPC with Retry-After. */
async function down(args: Record<string, string | undefined>): Promise<void> {
  const base = need(args, "base");
  await check("server down: 503 JSON-RPC with Retry-After", async () => {
    const res = await post(`${base}/mcp`, initialize(1));
    const body = (await res.json()) as RpcMessage;
    const retry = res.headers.get("retry-after");
    expect(res.status === 503 && body.error !== undefined, `status ${res.status}`);
    expect(retry !== null, "no Retry-After");
    return `Retry-After ${retry}`;
  });
}

function need(args: Record<string, string | undefined>, name: string): string {
  const value = args[name];
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    base: { type: "string" },
    http: { type: "string" },
    upstream: { type: "string" },
    probe: { type: "string" },
    "probe-upstream-port": { type: "string" },
    replicas: { type: "string" },
    "access-log": { type: "string" },
  },
});
const command = positionals[0];
// A stuck request must not hold CI: every request has its own timeout, this is the backstop.
setTimeout(() => {
  console.log("  FAIL nginxSession.ts: still running after 80 s");
  process.exit(1);
}, 80_000).unref();
if (command === "session") await session(values);
else if (command === "down") await down(values);
else throw new Error(`usage: nginxSession.ts session|down --base URL ... (got ${command})`);
process.exitCode = failures > 0 ? 1 : 0;
