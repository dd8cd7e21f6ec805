/**
 * DNS-rebinding protection for a server that usually listens on localhost: the Host
 * header must name this server, and a browser's Origin must be a local page or one
 * the operator allowed. Both checks answer 403 with a JSON-RPC error body.
 */
import { hostHeaderValidation } from "@modelcontextprotocol/express";
import type { RequestHandler } from "express";
import { isLoopbackHost } from "../config.js";
import { jsonRpcError } from "./errors.js";

export function allowedHostnames(host: string, extra: string[]): string[] {
  const names = new Set(["localhost", "127.0.0.1", "[::1]", ...extra]);
  if (!isLoopbackHost(host) && host !== "0.0.0.0" && host !== "::") {
    names.add(host.includes(":") ? `[${host}]` : host);
  }
  return [...names];
}

export function hostCheck(hostnames: string[]): RequestHandler {
  return hostHeaderValidation(hostnames);
}

export function originCheck(allowedOrigins: string[]): RequestHandler {
  const allowed = new Set(allowedOrigins.map((o) => o.replace(/\/+$/, "").toLowerCase()));
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined) return next(); // not a browser, or a same-origin GET
    let hostname: string;
    try {
      hostname = new URL(origin).hostname;
    } catch {
      hostname = "";
    }
    const local = ["localhost", "127.0.0.1", "[::1]"].includes(hostname);
    if (local || allowed.has(origin.toLowerCase())) return next();
    res
      .status(403)
      .json(
        jsonRpcError(
          -32000,
          `Origin ${JSON.stringify(origin)} is not allowed; add it to ALLOWED_ORIGINS to let that page call this server.`,
        ),
      );
  };
}
