/**
 * The MCP Apps playground (npm run playground) over real HTTP, no browser: its /mcp pipe
 * stands in for the MCP server and adds MCP_TOKEN, so it must refuse what the server
 * itself refuses. A DNS-rebinding page sends its own name in Host, another site sends
 * its Origin (or Sec-Fetch-Site: cross-site); all get 403 with a JSON-RPC error, and
 * none of them reaches the MCP server. The playground's own page gets through.
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, test } from "node:test";
import { startPlayground, type Playground } from "../../apps/playground/server.js";
import { MemoryTicketStore } from "../src/tickets/memoryStore.js";
import { startTestServer, type TestServer } from "../../test/helpers/server.js";
import { ticket } from "../../test/helpers/tickets.js";

let server: TestServer;
let playground: Playground;
let port: number;

before(async () => {
  server = await startTestServer(new MemoryTicketStore([ticket()]));
  playground = await startPlayground({ mcpUrl: server.url, token: "playground-token" });
  port = Number(new URL(playground.url).port);
});
after(async () => {
  await playground?.close();
  await server?.close();
});

const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "playground-test", version: "1.0.0" },
  },
});

interface Answer {
  status: number;
  type: string;
  body: string;
}

/** node:http, not fetch: fetch may not set Host, and a rebinding browser sends any. */
function send(
  headers: Record<string, string>,
  { method = "POST", path = "/mcp" }: { method?: string; path?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...headers,
        },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode!, type: res.headers["content-type"] ?? "", body }),
        );
      },
    );
    req.on("error", reject);
    req.end(method === "POST" ? INITIALIZE : undefined);
  });
}

const initializations = () => server.logs.filter((l) => l.method === "initialize").length;

function assertRefused(answer: Answer, status: number, pattern: RegExp): void {
  assert.equal(answer.status, status, answer.body);
  assert.match(answer.type, /^application\/json/);
  const body = JSON.parse(answer.body) as { jsonrpc: string; error: { message: string } };
  assert.equal(body.jsonrpc, "2.0");
  assert.match(body.error.message, pattern);
}

test("the playground's own page reaches the MCP server through /mcp", async () => {
  const before = initializations();
  const pages: Record<string, string>[] = [
    {}, // Host 127.0.0.1:<port>, no Origin (not a browser)
    { origin: `http://127.0.0.1:${port}`, "sec-fetch-site": "same-origin" },
    { host: `localhost:${port}`, origin: `http://localhost:${port}` },
  ];
  for (const headers of pages) {
    const answer = await send(headers);
    assert.equal(answer.status, 200, `${JSON.stringify(headers)}: ${answer.body}`);
    assert.match(answer.body, /"serverInfo":\{"name":"mcp-tickets"/);
  }
  assert.equal(initializations(), before + 3);
});

test("a foreign Host (DNS rebinding) gets 403 and never reaches the MCP server", async () => {
  const before = initializations();
  for (const host of [
    "evil.example",
    `evil.example:${port}`,
    `127.0.0.1:${port + 1}`,
    "127.0.0.1",
    `[::1]:${port}`,
  ]) {
    assertRefused(await send({ host }), 403, /Host .* is not allowed/);
    // Same-origin as far as the browser knows: the rebound name is the page's own.
    assertRefused(
      await send({ host, origin: `http://${host}`, "sec-fetch-site": "same-origin" }),
      403,
      /Host .* is not allowed/,
    );
  }
  // The page itself is not served under a foreign name either.
  assertRefused(
    await send({ host: `evil.example:${port}` }, { method: "GET", path: "/" }),
    403,
    /Host/,
  );
  assert.equal(initializations(), before, "no refused request reached the server");
});

test("another page's Origin, or a cross-site request, gets 403 on /mcp", async () => {
  const before = initializations();
  for (const origin of [
    "http://evil.example",
    `http://evil.example:${port}`,
    `http://127.0.0.1:${port + 1}`,
    `http://localhost:${port + 1}`,
    `https://127.0.0.1:${port}`,
    "null", // a sandboxed frame or a file: page
  ])
    assertRefused(await send({ origin }), 403, /Origin .* is not allowed/);
  for (const site of ["cross-site", "same-site", "none"])
    assertRefused(await send({ "sec-fetch-site": site }), 403, /may not use \/mcp/);
  assert.equal(initializations(), before, "no refused request reached the server");
});

test("/mcp takes GET, POST and DELETE only", async () => {
  const answer = await send({}, { method: "PUT" });
  assertRefused(answer, 405, /method PUT is not allowed/);
});
