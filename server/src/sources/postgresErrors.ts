/**
 * What a PostgreSQL failure means for the caller, by SQLSTATE class rather than a short
 * list of codes, and an outage log that speaks once when the database goes away and
 * once when it is back, however many requests fail in between.
 */
import type { Logger } from "../logger.js";

/**
 * - `down`: the database cannot serve now (unreachable, shutting down, refusing
 *   connections, out of resources): retry shortly.
 * - `busy`: it is up but this call could not get its turn in time (every pooled
 *   connection in use, a table locked): retry shortly.
 * - `timeout`: the query itself ran out of time: narrow it.
 */
export type Failure = "down" | "busy" | "timeout";

/** The driver's and the OS's own words for "no connection". */
const DRIVER_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
const DRIVER_MESSAGES =
  /Connection terminated|connect(ion)? timeout|Client has encountered a connection error|not queryable|Cannot use a pool after calling end/i;

export function classify(error: unknown): Failure | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === "string") {
    if (DRIVER_CODES.has(code)) return "down";
    if (code === "57014") return "timeout"; // query_canceled: statement_timeout
    if (code === "55P03") return "busy"; // lock_not_available: lock_timeout
    // 08 connection exception, 53 insufficient resources (too many connections, disk
    // full, out of memory), 57 operator intervention (shutdown, crash, starting up),
    // 55000 object not in prerequisite state (a database not accepting connections).
    if (/^(08|53|57)/.test(code) || code === "55000") return "down";
  }
  if (typeof message !== "string") return undefined;
  // pg-pool's queue wait ran out: every connection was in use, the database is up.
  if (/timeout exceeded when trying to connect/i.test(message)) return "busy";
  return DRIVER_MESSAGES.test(message) ? "down" : undefined;
}

/** Logs the start and the end of an outage, each once; counts what failed between. */
export class OutageLog {
  private since: number | undefined;
  private failures = 0;

  constructor(
    private readonly logger: Logger | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  get down(): boolean {
    return this.since !== undefined;
  }

  failed(error: unknown): void {
    this.failures++;
    if (this.since !== undefined) return;
    this.since = this.now();
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    this.logger?.warn(
      { code, reason: typeof message === "string" ? message : String(error) },
      "ticket store unavailable: answering 'retry shortly' until the database is back",
    );
  }

  succeeded(): void {
    if (this.since === undefined) return;
    this.logger?.info(
      { seconds: Math.round((this.now() - this.since) / 100) / 10, failed: this.failures },
      "ticket store available again",
    );
    this.since = undefined;
    this.failures = 0;
  }
}
