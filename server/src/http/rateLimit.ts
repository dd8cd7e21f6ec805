/**
 * Rate limiting with token buckets of RATE_LIMIT_BURST requests refilled at
 * RATE_LIMIT_PER_MINUTE. Over the limit: 429 with Retry-After and a JSON-RPC error body.
 * Behind a proxy, client IPs are right only with TRUST_PROXY set (express's req.ip).
 *
 * - `rateLimit`: every request, per principal (or per client IP without authentication).
 * - `authFailureThrottle`: consulted by authentication only for requests whose token
 *   failed (missing or invalid: the 401s), per client IP, so guessing tokens is
 *   throttled while a request with a good token is never refused by it.
 */
import type { Request, RequestHandler } from "express";
import { principalOf, type FailureThrottle } from "./auth.js";
import { tooManyRequests } from "./errors.js";

export interface RateLimitOptions {
  perMinute: number;
  burst: number;
  onLimited?: (key: string) => void;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  updated: number;
}

class Buckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    private readonly burst: number,
    perMinute: number,
    private readonly now: () => number,
  ) {
    this.perMs = perMinute / 60_000;
    // Forget full buckets now and then, so one-off clients do not pile up.
    const sweep = setInterval(() => {
      const t = now();
      for (const [key, b] of this.buckets) {
        if (b.tokens + (t - b.updated) * this.perMs >= burst) this.buckets.delete(key);
      }
    }, 60_000);
    sweep.unref();
  }

  /** The bucket for `key`, refilled up to now. */
  private refill(key: string): Bucket {
    const t = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, updated: t };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (t - bucket.updated) * this.perMs);
    bucket.updated = t;
    this.buckets.set(key, bucket);
    return bucket;
  }

  /** Seconds until one request is allowed again; 0 when one is allowed now. */
  wait(key: string): number {
    const bucket = this.refill(key);
    return bucket.tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
  }

  take(key: string): void {
    this.refill(key).tokens -= 1;
  }
}

const ipOf = (req: Request) => `ip:${req.ip ?? "unknown"}`;

export function rateLimit({
  perMinute,
  burst,
  onLimited,
  now = Date.now,
}: RateLimitOptions): RequestHandler {
  if (perMinute === 0) return (_req, _res, next) => next();
  const buckets = new Buckets(burst, perMinute, now);
  return (req, res, next) => {
    const principal = principalOf(res);
    const key = principal.id === "anonymous" ? ipOf(req) : principal.id;
    const wait = buckets.wait(key);
    if (wait === 0) {
      buckets.take(key);
      return next();
    }
    onLimited?.(key);
    tooManyRequests(res, wait, `Rate limit exceeded (${perMinute} requests a minute)`);
  };
}

/** Failed authentication per client address (see FailureThrottle in auth.ts). */
export function authFailureThrottle({
  perMinute,
  burst,
  onLimited,
  now = Date.now,
}: RateLimitOptions): FailureThrottle | undefined {
  if (perMinute === 0) return undefined;
  const buckets = new Buckets(burst, perMinute, now);
  return {
    check(req) {
      const key = ipOf(req);
      const wait = buckets.wait(key);
      if (wait > 0) {
        onLimited?.(key);
        return wait;
      }
      buckets.take(key);
      return 0;
    },
  };
}
