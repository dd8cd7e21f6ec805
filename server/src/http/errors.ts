/**
 * HTTP-level errors as JSON-RPC error objects (the shape MCP clients parse), mapped in
 * one place. Nothing here ever echoes a stack trace or a file path.
 */
import type { ErrorRequestHandler, Response } from "express";
import type { Logger } from "../logger.js";

export interface JsonRpcErrorBody {
  jsonrpc: "2.0";
  error: { code: number; message: string };
  id: string | number | null;
}

/** `id`: the request's, when it was read (body parsed); null before that. */
export function jsonRpcError(
  code: number,
  message: string,
  id: string | number | null = null,
): JsonRpcErrorBody {
  return { jsonrpc: "2.0", error: { code, message }, id };
}

/** 429 with Retry-After (seconds) and a JSON-RPC body saying when to retry. */
export function tooManyRequests(res: Response, retryAfter: number, message: string): void {
  res.setHeader("Retry-After", String(retryAfter));
  res.status(429).json(jsonRpcError(-32000, `${message}; retry in ${retryAfter} s.`));
}

/** Errors thrown by body parsing and handlers; the last middleware of the app. */
export function errorHandler(logger: Logger, maxBodyBytes: number): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const e = err as { type?: string; status?: number; expose?: boolean };
    let status = 500;
    let body: JsonRpcErrorBody;
    if (e.type === "entity.parse.failed") {
      status = 400;
      body = jsonRpcError(-32700, "Parse error: the request body is not valid JSON.");
    } else if (e.type === "entity.too.large") {
      status = 413;
      body = jsonRpcError(-32600, `Request body too large: the limit is ${maxBodyBytes} bytes.`);
    } else if (typeof e.status === "number" && e.status >= 400 && e.status < 500 && e.expose) {
      status = e.status;
      body = jsonRpcError(-32600, `Bad request (${e.status}).`);
    } else {
      logger.error({ err, method: req.method, url: req.originalUrl }, "request failed");
      body = jsonRpcError(-32603, "Internal server error; it has been logged.");
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(status).json(body);
  };
}
