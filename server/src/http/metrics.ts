/**
 * Prometheus metrics at /metrics: MCP requests by method, tool and outcome, their
 * latency, open sessions, tickets loaded, rate-limited requests. One registry per app,
 * so tests can build several apps side by side.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface RequestObservation {
  method: string;
  tool?: string;
  /** The protocol era: "2026-07-28", "2025" (sessions or stateless) or "stdio". */
  era: string;
  outcome: "ok" | "tool_error" | "error";
  seconds: number;
}

export interface Metrics {
  registry: Registry;
  observe(o: RequestObservation): void;
  rateLimited(): void;
}

export function createMetrics(sources: {
  sessions: () => number;
  tickets: () => Promise<number>;
}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "mcp_tickets_" });
  const requests = new Counter({
    name: "mcp_requests_total",
    help: "MCP requests answered, by JSON-RPC method, tool, protocol era and outcome.",
    labelNames: ["method", "tool", "era", "outcome"],
    registers: [registry],
  });
  const latency = new Histogram({
    name: "mcp_request_duration_seconds",
    help: "Time to answer an MCP request.",
    labelNames: ["method", "tool"],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const limited = new Counter({
    name: "mcp_rate_limited_total",
    help: "Requests refused with 429.",
    registers: [registry],
  });
  new Gauge({
    name: "mcp_open_sessions",
    help: "MCP sessions open now.",
    registers: [registry],
    collect() {
      this.set(sources.sessions());
    },
  });
  new Gauge({
    name: "mcp_tickets_loaded",
    help: "Tickets the store serves.",
    registers: [registry],
    async collect() {
      this.set(await sources.tickets().catch(() => 0));
    },
  });
  return {
    registry,
    observe: ({ method, tool = "", era, outcome, seconds }) => {
      requests.inc({ method, tool, era, outcome });
      latency.observe({ method, tool }, seconds);
    },
    rateLimited: () => limited.inc(),
  };
}
