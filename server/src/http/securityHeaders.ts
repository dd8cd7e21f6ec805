/**
 * Headers every response carries: an API that serves no HTML still should not be
 * framed, sniffed, cached or leak its URLs. Plus a request id, echoed from a sane
 * X-Request-Id or made up, that every log line of the request carries.
 */
import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import { requestContext } from "../requestContext.js";

export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  res.setHeader("Cache-Control", "no-store");
  next();
};

export const requestId: RequestHandler = (req, res, next) => {
  const given = req.header("x-request-id");
  const id = given && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
  res.setHeader("X-Request-Id", id);
  requestContext.run({ requestId: id }, next);
};
