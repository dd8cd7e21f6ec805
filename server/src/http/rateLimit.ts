/**
 * Rate limiting per principal (or per client IP without authentication): a token bucket
 * of RATE_LIMIT_BURST requests refilled at RATE_LIMIT_PER_MINUTE. Over the limit: 429
 * with Retry-After and a JSON-RPC error body. Behind a proxy, client IPs are right only
 * with TRUST_PROXY set (express's req.ip).
 */
import type { RequestHandler } from "express";
import { principalOf } from "./auth.js";
import { jsonRpcError } from "./errors.js";

interface Bucket {
  tokens: number;
  updated: number;
}

export interface RateLimitOptions {
  perMinute: number;
  burst: number;
  onLimited?: (key: string) => void;
  now?: () => number;
}

export function rateLimit({
  perMinute,
  burst,
  onLimited,
  now = Date.now,
}: RateLimitOptions): RequestHandler {
  if (perMinute === 0) return (_req, _res, next) => next();
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, Bucket>();
  // Forget full buckets now and then, so one-off clients do not pile up.
  const sweep = setInterval(() => {
    const t = now();
    for (const [key, b] of buckets)
      if (b.tokens + (t - b.updated) * perMs >= burst) buckets.delete(key);
  }, 60_000);
  sweep.unref();

  return (req, res, next) => {
    const principal = principalOf(res);
    const key = principal.id === "anonymous" ? `ip:${req.ip ?? "unknown"}` : principal.id;
    const t = now();
    const bucket = buckets.get(key) ?? { tokens: burst, updated: t };
    bucket.tokens = Math.min(burst, bucket.tokens + (t - bucket.updated) * perMs);
    bucket.updated = t;
    buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return next();
    }
    const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    onLimited?.(key);
    res.setHeader("Retry-After", String(retryAfter));
    res
      .status(429)
      .json(
        jsonRpcError(
          -32000,
          `Rate limit exceeded (${perMinute} requests a minute); retry in ${retryAfter} s.`,
        ),
      );
  };
}
