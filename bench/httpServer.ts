/**
 * A server for the HTTP benchmark, in a process of its own. Prints {"port": N} once
 * listening.
 *
 * - the real MCP app (createApp, as main.ts serves it, with the 50 sample tickets),
 *   stateful (2025 sessions; the same process answers 2026-07-28 requests once the
 *   server speaks it) or stateless, with a bearer token required (AUTH_TOKEN in the
 *   environment, sha256 in a tokens file), a rate limit high enough never to refuse,
 *   metrics, and info logs written to a file:
 *     node --import tsx bench/httpServer.ts stateful|stateless TICKETS_FILE LOG_FILE
 * - the SDK v1 floor (its Streamable HTTP transport behind express.json only; answering
 *   in SSE or, with "sdk-json", in plain JSON), as before the move to v2:
 *     node --import tsx bench/httpServer.ts sdk|sdk-json TICKETS_FILE
 * - the bare SDK v2 transports answering a no-op tool `search_tickets` with the bytes
 *   in RESULT_FILE (the app's own result, so both send the same answer):
 *   NodeStreamableHTTPServerTransport with sessions (v2-sessions) or without
 *   (v2-stateless, a fresh server and transport per request), and createMcpHandler
 *   with legacy 'reject' for 2026-07-28 (v2-modern):
 *     node --import tsx bench/httpServer.ts v2-sessions|v2-stateless|v2-modern RESULT_FILE
 * - the ceiling: node:http answering every request with fixed bytes:
 *     node --import tsx bench/httpServer.ts plain BODY_FILE CONTENT_TYPE
 */
import { createHash, randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeStreamableHTTPServerTransport, toNodeHandler } from "@modelcontextprotocol/node";
import {
  createMcpHandler,
  isInitializeRequest as isInitializeRequestV2,
  McpServer,
  type CallToolResult,
} from "@modelcontextprotocol/server";
import { z } from "zod";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import express from "express";
import { pino } from "pino";
import { loadConfig } from "../server/src/config.js";
import { createApp } from "../server/src/http/app.js";
import { buildMcpServer } from "../server/src/mcp/buildServer.js";
import { loadMemoryStore } from "../server/src/sources/loadStore.js";
import type { TicketStore } from "../server/src/tickets/store.js";

/** Sessions straight on the SDK transport: no Host/Origin/auth/rate-limit/metrics. */
function sdkFloor(store: TicketStore, enableJsonResponse: boolean): express.Express {
  const app = express();
  app.use(express.json());
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const logger = pino({ level: "silent" });
  app.post("/mcp", async (req, res) => {
    const id = req.header("mcp-session-id");
    let transport = id === undefined ? undefined : sessions.get(id);
    if (!transport && isInitializeRequest(req.body)) {
      const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        enableJsonResponse,
        onsessioninitialized: (sid: string) => {
          sessions.set(sid, created);
        },
      });
      await buildMcpServer({ store, logger }).connect(created);
      transport = created;
    }
    if (!transport) {
      res.status(400).end();
      return;
    }
    await transport.handleRequest(req, res, req.body);
  });
  return app;
}

/** A v2 McpServer whose only tool answers every call with `result`. */
function noOpServer(result: CallToolResult): McpServer {
  const server = new McpServer({ name: "bench-floor", version: "1" });
  server.registerTool(
    "search_tickets",
    { description: "no-op", inputSchema: z.looseObject({}) },
    () => result,
  );
  return server;
}

/** The bare v2 transports: nothing in front but express.json (as for v1) or nothing. */
function v2Floor(mode: string, result: CallToolResult) {
  if (mode === "v2-modern") {
    const handler = toNodeHandler(createMcpHandler(() => noOpServer(result), { legacy: "reject" }));
    return createServer((req, res) => void handler(req, res));
  }
  const app = express();
  app.use(express.json());
  const sessions = new Map<string, NodeStreamableHTTPServerTransport>();
  app.post("/mcp", async (req, res) => {
    if (mode === "v2-stateless") {
      const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      const server = noOpServer(result);
      res.on("close", () => void transport.close().then(() => server.close()));
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
      return;
    }
    const id = req.header("mcp-session-id");
    let transport = id === undefined ? undefined : sessions.get(id);
    if (!transport && isInitializeRequestV2(req.body)) {
      const created: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (sid: string) => {
          sessions.set(sid, created);
        },
      });
      await noOpServer(result).connect(created);
      transport = created;
    }
    if (!transport) {
      res.status(400).end();
      return;
    }
    await transport.handleRequest(req, res, req.body);
  });
  return createServer(app);
}

async function main([mode, file, extra]: string[]): Promise<void> {
  let server;
  if (mode === "plain") {
    const body = readFileSync(file!);
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": extra!, "content-length": body.length });
        res.end(body);
      });
    });
  } else if (mode === "stateful" || mode === "stateless") {
    // Everything on, as in production: a token to check on every request, a rate limit
    // (so high that it never refuses: the bench is one client hammering), metrics, and
    // info logs (a line per request) written to LOG_FILE.
    const token = process.env.AUTH_TOKEN ?? "";
    if (!token) throw new Error("AUTH_TOKEN is required for the app modes");
    const tokens = join(tmpdir(), `bench-tokens-${process.pid}.json`);
    const sha256 = createHash("sha256").update(token).digest("hex");
    writeFileSync(tokens, JSON.stringify({ tokens: [{ name: "bench", role: "agent", sha256 }] }));
    const config = loadConfig({
      PORT: "0",
      MCP_STATELESS: String(mode === "stateless"),
      AUTH_TOKENS_FILE: tokens,
      RATE_LIMIT_PER_MINUTE: "1000000",
      RATE_LIMIT_BURST: "100000",
      MCP_MAX_SESSIONS: "100000",
      MCP_MAX_SESSIONS_PER_PRINCIPAL: "100000",
    });
    const store = await loadMemoryStore(file!);
    const logger = pino({ level: "info" }, pino.destination({ dest: extra!, sync: false }));
    server = createServer(createApp({ config, store, logger }).app);
  } else if (mode === "sdk" || mode === "sdk-json") {
    server = createServer(sdkFloor(await loadMemoryStore(file!), mode === "sdk-json"));
  } else if (mode === "v2-sessions" || mode === "v2-stateless" || mode === "v2-modern") {
    server = v2Floor(mode, JSON.parse(readFileSync(file!, "utf8")) as CallToolResult);
  } else {
    throw new Error(
      `mode must be stateful, stateless, sdk, sdk-json, v2-sessions, v2-stateless, v2-modern or plain, got ${mode}`,
    );
  }
  server.keepAliveTimeout = 60_000;
  // Exit normally on SIGTERM, so `node --cpu-prof` can write its profile.
  process.once("SIGTERM", () => process.exit(0));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
