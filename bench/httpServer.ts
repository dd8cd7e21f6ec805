/**
 * A server for the HTTP benchmark, in a process of its own: the real MCP app (createApp,
 * as main.ts serves it, with the 50 sample tickets), stateful or stateless; the SDK's
 * floor (its Streamable HTTP transport behind nothing but express.json, answering in SSE
 * or, with "sdk-json", in plain JSON); or the ceiling: a bare node:http server answering
 * every request with fixed bytes (the same size and headers as the MCP answer).
 * Prints {"port": N} once listening.
 *
 *   node --import tsx bench/httpServer.ts stateful|stateless|sdk|sdk-json TICKETS_FILE
 *   node --import tsx bench/httpServer.ts plain BODY_FILE CONTENT_TYPE
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
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

async function main([mode, file, contentType]: string[]): Promise<void> {
  let server;
  if (mode === "plain") {
    const body = readFileSync(file!);
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": contentType!, "content-length": body.length });
        res.end(body);
      });
    });
  } else if (mode === "stateful" || mode === "stateless") {
    const config = loadConfig({
      PORT: "0",
      MCP_STATELESS: String(mode === "stateless"),
      // The benchmark is one client hammering: the per-client limit would measure itself.
      RATE_LIMIT_PER_MINUTE: "0",
      MCP_MAX_SESSIONS: "100000",
    });
    const store = await loadMemoryStore(file!);
    server = createServer(createApp({ config, store, logger: pino({ level: "silent" }) }).app);
  } else if (mode === "sdk" || mode === "sdk-json") {
    server = createServer(sdkFloor(await loadMemoryStore(file!), mode === "sdk-json"));
  } else {
    throw new Error(`mode must be stateful, stateless, sdk, sdk-json or plain, got ${mode}`);
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
