/**
 * A graceful stop for the HTTP server (SIGTERM, SIGINT): every request that reaches the
 * server gets a complete answer, and no connection is reset under a client's request.
 *
 * 1. New requests, also on kept-alive connections, get 503 + Retry-After + Connection:
 *    close; no new connections are accepted (clients get "refused" and try elsewhere).
 * 2. Requests in flight finish (up to the timeout), then sessions close.
 * 3. Idle kept-alive connections are left to end by the server's keep-alive timeout,
 *    which clients know from the Keep-Alive header and so never reuse a socket past it;
 *    whatever is still open at the deadline is closed.
 */
import type { Server } from "node:http";
import net from "node:net";
import type { McpApp } from "./app.js";

const connectionsOf = (server: Server) =>
  new Promise<number>((resolve) => server.getConnections((_err, count) => resolve(count ?? 0)));

export async function closeGracefully(
  server: Server,
  mcp: McpApp,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  mcp.beginShutdown();
  // net.Server#close, not http.Server#close: the latter also drops idle keep-alive
  // sockets at once, racing the requests clients may be sending on them right now.
  const closed = new Promise<void>((resolve) =>
    net.Server.prototype.close.call(server, () => resolve()),
  );
  await mcp.drain(timeoutMs);
  await mcp.close();
  while ((await connectionsOf(server)) > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  server.closeAllConnections();
  await closed;
}
