/**
 * A closed-loop load generator over node:http with keep-alive: `concurrency` clients,
 * each sending its next request when the last answer has fully arrived, for a fixed
 * time. Every server in a comparison gets the same client, so client costs cancel out
 * of the ratios.
 */
import http from "node:http";
import { summarise, type Latency } from "./measure.js";

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface LoadResult {
  concurrency: number;
  requests: number;
  errors: number;
  perSecond: number;
  latency: Latency;
}

export function post(
  agent: http.Agent,
  port: number,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/mcp",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "content-length": Buffer.byteLength(payload),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

export const INITIALIZE = {
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: {
    protocolVersion: "2025-11-25",
    capabilities: {},
    clientInfo: { name: "bench", version: "1" },
  },
};

/** The 2026-07-28 revision: no initialize, no session; every request carries its own. */
export const MODERN_VERSION = "2026-07-28";

/**
 * A 2026-07-28 request as the v2 SDK client sends it: the per-request `_meta` envelope
 * (protocol version, client info, client capabilities) in the params.
 */
export function modernRequest(id: number, method: string, params: Record<string, unknown>) {
  return {
    jsonrpc: "2.0",
    id,
    method,
    params: {
      ...params,
      _meta: {
        "io.modelcontextprotocol/protocolVersion": MODERN_VERSION,
        "io.modelcontextprotocol/clientInfo": { name: "bench", version: "1" },
        "io.modelcontextprotocol/clientCapabilities": {},
      },
    },
  };
}

/** Which params field the Mcp-Name header mirrors, per method (the v2 SDK's table). */
const MCP_NAME_SOURCE: Record<string, string> = {
  "tools/call": "name",
  "prompts/get": "name",
  "resources/read": "uri",
};

/**
 * Its headers: MCP-Protocol-Version and Mcp-Method always, Mcp-Name for the methods in
 * MCP_NAME_SOURCE. Our names are plain ASCII, so the base64 sentinel form is not needed.
 */
export function modernHeaders(
  method: string,
  params: Record<string, unknown>,
): Record<string, string> {
  const headers: Record<string, string> = {
    "mcp-protocol-version": MODERN_VERSION,
    "mcp-method": method,
  };
  const source = MCP_NAME_SOURCE[method];
  const name = source === undefined ? undefined : params[source];
  if (typeof name === "string") headers["mcp-name"] = name;
  return headers;
}

/** Opens an MCP session (initialize + initialized) and returns its headers. */
export async function openSession(
  agent: http.Agent,
  port: number,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  const init = await post(agent, port, INITIALIZE, extra);
  const id = init.headers["mcp-session-id"];
  if (init.status !== 200 || typeof id !== "string") {
    throw new Error(`initialize failed: ${init.status} ${init.body.slice(0, 200)}`);
  }
  const headers = { ...extra, "mcp-session-id": id, "mcp-protocol-version": "2025-11-25" };
  await post(agent, port, { jsonrpc: "2.0", method: "notifications/initialized" }, headers);
  return headers;
}

export async function load(options: {
  port: number;
  concurrency: number;
  durationMs: number;
  body: unknown;
  /** Per client, before the clock starts: e.g. open a session. */
  setup?: (agent: http.Agent) => Promise<Record<string, string>>;
}): Promise<LoadResult> {
  const { port, concurrency, durationMs, body, setup } = options;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const headers = await Promise.all(
    Array.from({ length: concurrency }, () => setup?.(agent) ?? Promise.resolve({})),
  );
  const samples: number[] = [];
  let errors = 0;
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    headers.map(async (h) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const answer = await post(agent, port, body, h);
        samples.push(performance.now() - t0);
        if (answer.status !== 200 || answer.body.includes('"isError":true')) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    concurrency,
    requests: samples.length,
    errors,
    perSecond: samples.length / seconds,
    latency: summarise(samples),
  };
}
