/**
 * Starts the real HTTP app on a free loopback port, with a logger whose lines the test
 * can read. No mocks: the same createApp main.ts uses.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { pino } from "pino";
import { loadConfig } from "../../server/src/config.js";
import { createApp, type McpApp } from "../../server/src/http/app.js";
import { logMixin } from "../../server/src/requestContext.js";
import type { TicketStore } from "../../server/src/tickets/store.js";

export interface TestServer {
  url: string;
  origin: string;
  mcp: McpApp;
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startTestServer(
  store: TicketStore,
  env: Record<string, string> = {},
): Promise<TestServer> {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n")) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  const logger = pino({ level: "debug", base: undefined, mixin: logMixin }, sink);
  const config = loadConfig({ PORT: "0", ...env });
  const mcp = createApp({ config, store, logger });
  const server: Server = createServer(mcp.app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/mcp`,
    origin,
    mcp,
    logs,
    close: async () => {
      await mcp.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function connectClient(
  url: string,
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: "test-client", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return { client, transport };
}

/** A raw JSON-RPC POST as a client would send it, for checks below the SDK. */
export function rpc(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-11-25",
    capabilities: {},
    clientInfo: { name: "raw", version: "1" },
  },
};
