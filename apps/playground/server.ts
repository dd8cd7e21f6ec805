/**
 * npm run playground: a local page (127.0.0.1 only) that hosts the MCP Apps views the way
 * a chat client does, for people without an Apps host, and the host the browser tests use.
 *
 *   npm run playground                      starts the ticket server in-process (TICKETS_FILE)
 *   MCP_URL=http://127.0.0.1:3000/mcp npm run playground   uses a running server instead
 *   PLAYGROUND_PORT=5199, MCP_TOKEN=<bearer token> optional
 *
 * The page's MCP client talks to /mcp on the page's own origin; this server pipes those
 * requests to the MCP server unchanged (headers, body, SSE stream), so the server needs
 * no CORS grant for the playground.
 *
 * The pipe stands in for the MCP server (and adds MCP_TOKEN), so it must not become a way
 * around the server's own DNS-rebinding check: every request must name this playground in
 * Host (127.0.0.1 or localhost, this port), and /mcp takes only requests from the page
 * itself (Origin, when sent, is this origin; Sec-Fetch-Site, when sent, is same-origin).
 * Anything else gets 403 and never reaches the MCP server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { bundleScript } from "../build.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface Playground {
  url: string;
  close(): Promise<void>;
}

export interface PlaygroundOptions {
  /** The MCP endpoint, e.g. http://127.0.0.1:3000/mcp. */
  mcpUrl: string;
  port?: number;
  /** Sent as Authorization: Bearer to the MCP server when set. */
  token?: string;
}

const PAGE_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; frame-src 'self'; img-src data:; base-uri 'none'; form-action 'none'";

function page(script: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mcp-tickets · MCP Apps playground</title>
<style>
  :root { color-scheme: light; --bg: #f6f7f9; --panel: #fff; --fg: #111827; --line: #d1d5db; }
  [data-theme="dark"] { color-scheme: dark; --bg: #0f0f11; --panel: #18181b; --fg: #f4f4f5; --line: #3f3f46; }
  body { margin: 0; padding: 16px; background: var(--bg); color: var(--fg); font: 14px/1.4 system-ui, sans-serif; }
  h1 { font-size: 18px; margin: 0 0 12px; }
  form { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; margin-bottom: 12px; }
  label { display: grid; gap: 2px; font-size: 12px; }
  textarea { width: min(520px, 90vw); height: 38px; font: 13px ui-monospace, monospace; }
  select, textarea, button { background: var(--panel); color: var(--fg); border: 1px solid var(--line); border-radius: 6px; padding: 4px 8px; }
  #frame { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 0; max-width: 1100px; }
  #frame iframe { display: block; width: 100%; border: 0; border-radius: 8px; }
  details { margin-top: 12px; } pre { white-space: pre-wrap; font-size: 12px; }
  #status[data-state="error"] { color: #dc2626; }
</style>
</head>
<body>
<h1>MCP Apps playground</h1>
<form id="run">
  <label>Tool <select id="tool"><option>search_tickets</option><option>ticket_stats</option></select></label>
  <label>Arguments (JSON) <textarea id="args">{"status": "open"}</textarea></label>
  <label>Theme <select id="theme"><option>light</option><option>dark</option></select></label>
  <label>Locale <select id="locale"><option>en-US</option><option>ru-RU</option></select></label>
  <label>Width <select id="width"><option value="wide">wide</option><option value="narrow">360 px</option></select></label>
  <button type="submit" id="go">Run</button>
  <span id="status" role="status"></span>
</form>
<div id="frame"></div>
<details><summary>Text content (what the model reads)</summary><pre id="text"></pre></details>
<script>${script}</script>
</body>
</html>
`;
}

/** Request headers that describe this hop, not the MCP request. */
const HOP = new Set([
  "host",
  "origin",
  "referer",
  "connection",
  "content-length",
  "cookie",
  "keep-alive",
  "transfer-encoding",
]);

async function pipe(
  req: IncomingMessage,
  res: ServerResponse,
  options: PlaygroundOptions,
): Promise<void> {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP.has(key) || key.startsWith("sec-")) continue;
    headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const controller = new AbortController();
  res.once("close", () => controller.abort());
  const upstream = await fetch(options.mcpUrl, {
    method: req.method,
    headers,
    body: chunks.length ? Buffer.concat(chunks) : undefined,
    signal: controller.signal,
  });
  const out: Record<string, string> = {};
  upstream.headers.forEach((value, key) => {
    if (!["content-encoding", "content-length", "transfer-encoding", "connection"].includes(key))
      out[key] = value;
  });
  res.writeHead(upstream.status, out);
  if (!upstream.body) return void res.end();
  // An SSE stream ends when the page goes away: the abort is expected, not an error.
  await pipeline(Readable.fromWeb(upstream.body as never), res).catch(() => undefined);
}

function refuse(res: ServerResponse, status: 403 | 405, message: string): void {
  const body = JSON.stringify({
    jsonrpc: "2.0",
    error: { code: -32000, message: `playground: ${message}` },
    id: null,
  });
  res.writeHead(status, {
    "content-type": "application/json",
    "cache-control": "no-store",
    ...(status === 405 ? { allow: "GET, POST, DELETE" } : {}),
  });
  res.end(body);
}

/**
 * Why this request may not be served, or undefined when it may: Host must be this
 * playground on loopback (a DNS-rebinding page sends its own name), and a request for
 * /mcp must come from this playground's page.
 */
function refusal(req: IncomingMessage, port: number, mcp: boolean): string | undefined {
  const host = (req.headers.host ?? "").toLowerCase();
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`)
    return `Host ${JSON.stringify(req.headers.host ?? "")} is not allowed; open http://127.0.0.1:${port}/`;
  if (!mcp) return undefined;
  const origin = req.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host}`)
    return `Origin ${JSON.stringify(origin)} is not allowed; only this playground's page (http://${host}) may use /mcp`;
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin")
    return `a ${site} request may not use /mcp; only this playground's page may`;
  return undefined;
}

export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const html = page(await bundleScript(path.join(HERE, "host.ts")));
  let port = 0;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const why = refusal(req, port, url.pathname === "/mcp");
    if (why !== undefined) return refuse(res, 403, why);
    if (url.pathname === "/mcp") {
      if (!["GET", "POST", "DELETE"].includes(req.method ?? ""))
        return refuse(res, 405, `method ${req.method} is not allowed on /mcp`);
      pipe(req, res, options).catch((err: Error) => {
        if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
        res.end(`playground: MCP server unreachable: ${err.message}`);
      });
      return;
    }
    if (req.method === "GET" && url.pathname === "/") {
      res.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": PAGE_CSP,
        "cache-control": "no-store",
      });
      res.end(html);
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function main(): Promise<void> {
  let mcpUrl = process.env.MCP_URL;
  let stopServer: (() => Promise<void>) | undefined;
  if (!mcpUrl) {
    // The real ticket server, in-process on a loopback port, with the configured data.
    const [{ loadConfig }, { createApp }, { loadMemoryStore }, { createLogger }] =
      await Promise.all([
        import("../../server/src/config.js"),
        import("../../server/src/http/app.js"),
        import("../../server/src/sources/loadStore.js"),
        import("../../server/src/logger.js"),
      ]);
    const config = loadConfig({ ...process.env, PORT: "0" });
    const logger = createLogger({ level: "warn", fd: 2 });
    const store = await loadMemoryStore(config.TICKETS_FILE);
    const mcp = createApp({ config, store, logger });
    const http = createServer(mcp.app);
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    mcpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
    stopServer = async () => {
      await mcp.close();
      http.closeAllConnections();
      http.close();
    };
  }
  const playground = await startPlayground({
    mcpUrl,
    port: Number(process.env.PLAYGROUND_PORT ?? 5199),
    token: process.env.MCP_TOKEN,
  });
  console.log(`MCP Apps playground: ${playground.url}  (MCP server ${mcpUrl})`);
  const stop = () => {
    void Promise.all([playground.close(), stopServer?.()]).then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  await main();
