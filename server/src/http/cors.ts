/**
 * CORS for browser clients: only origins in ALLOWED_ORIGINS get a grant (none by
 * default). Granted responses expose Mcp-Session-Id so a web client can keep its session;
 * preflights allow the MCP headers. A foreign origin gets no CORS headers at all.
 */
import type { RequestHandler } from "express";

const ALLOW_HEADERS = [
  "Content-Type",
  "Accept",
  "Authorization",
  "Mcp-Session-Id",
  "MCP-Protocol-Version",
  "Last-Event-ID",
].join(", ");
const EXPOSE_HEADERS = [
  "Mcp-Session-Id",
  "MCP-Protocol-Version",
  "WWW-Authenticate",
  "Retry-After",
].join(", ");

export function normaliseOrigin(origin: string): string {
  return origin.replace(/\/+$/, "").toLowerCase();
}

export function cors(allowedOrigins: string[]): RequestHandler {
  const allowed = new Set(allowedOrigins.map(normaliseOrigin));
  return (req, res, next) => {
    const origin = req.headers.origin;
    res.vary("Origin");
    const granted = origin !== undefined && allowed.has(normaliseOrigin(origin));
    if (granted) {
      res.setHeader("Access-Control-Allow-Origin", origin);
      res.setHeader("Access-Control-Expose-Headers", EXPOSE_HEADERS);
    }
    if (req.method === "OPTIONS") {
      if (granted) {
        res.setHeader("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
        res.setHeader("Access-Control-Allow-Headers", ALLOW_HEADERS);
        res.setHeader("Access-Control-Max-Age", "600");
      }
      res.status(204).end();
      return;
    }
    next();
  };
}
