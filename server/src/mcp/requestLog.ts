/**
 * One log line per MCP request, whatever the transport or protocol era: method, tool,
 * the argument names (never their values: they may hold customer text), result count,
 * outcome and duration, and the same as a metric observation.
 *
 * `RequestLog` works on JSON-RPC messages as they cross the wire: `received` for each
 * inbound message, `sent` for each outbound one. The HTTP layer feeds it from the
 * request body and the response it writes (`tapHttpExchange`), which covers both eras
 * alike; stdio feeds it from its transport (`tapTransport`).
 */
import type { Logger } from "../logger.js";

export type Era = "2026-07-28" | "2025" | "stdio";

interface Pending {
  method: string;
  tool?: string;
  args?: string[];
  start: number;
  session?: string;
  era: Era;
}

/** What a finished request was, for metrics. */
export interface RequestOutcome {
  method: string;
  tool?: string;
  era: Era;
  outcome: "ok" | "tool_error" | "error";
  seconds: number;
}

type Message = Record<string, unknown>;
const isObject = (value: unknown): value is Message =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** How many items a result carries: tickets matched, tools listed, groups counted... */
function resultCount(result: Message): number | undefined {
  const structured = result.structuredContent as Message | undefined;
  if (structured && typeof structured.total === "number") return structured.total;
  if (structured && "ticket" in structured) return 1;
  for (const key of ["tools", "resources", "resourceTemplates", "prompts", "contents"]) {
    const value = result[key];
    if (Array.isArray(value)) return value.length;
  }
  return undefined;
}

export class RequestLog {
  constructor(
    private readonly logger: Logger,
    private readonly observe?: (outcome: RequestOutcome) => void,
  ) {}

  /**
   * One exchange's requests and answers (an HTTP POST, a stdio connection): ids are
   * only unique within one, so each has its own table of requests waiting.
   */
  exchange(era: Era, session?: string): Exchange {
    const pending = new Map<string | number, Pending>();
    return {
      received: (message) => {
        const entry = this.start(message, era, session);
        if (entry) pending.set((message as Message).id as string | number, entry);
      },
      sent: (message) => {
        if (!isObject(message) || !("id" in message)) return;
        if (!("result" in message || "error" in message)) return;
        const id = message.id as string | number;
        const entry = pending.get(id);
        if (!entry) return;
        pending.delete(id);
        this.finish(entry, message);
      },
    };
  }

  private start(message: unknown, era: Era, session?: string): Pending | undefined {
    if (!isObject(message) || typeof message.method !== "string" || !("id" in message)) return;
    const params = isObject(message.params) ? message.params : {};
    const entry: Pending = { method: message.method, start: performance.now(), era };
    if (session !== undefined) entry.session = session.slice(0, 8);
    if (message.method === "tools/call") {
      entry.tool = String(params.name);
      if (isObject(params.arguments)) entry.args = Object.keys(params.arguments);
    }
    return entry;
  }

  private finish(entry: Pending, message: Message): void {
    const ms = Math.round((performance.now() - entry.start) * 10) / 10;
    const line: Record<string, unknown> = { method: entry.method, era: entry.era, ms };
    if (entry.tool !== undefined) line.tool = entry.tool;
    if (entry.args !== undefined) line.args = entry.args;
    if (entry.session !== undefined) line.session = entry.session;
    let outcome: RequestOutcome["outcome"] = "ok";
    if (isObject(message.error)) {
      outcome = "error";
      line.error = message.error.code;
      this.logger.warn(line, `${entry.method} failed: ${String(message.error.message)}`);
    } else {
      const result = isObject(message.result) ? message.result : {};
      const count = resultCount(result);
      if (count !== undefined) line.count = count;
      if (result.isError === true) {
        outcome = "tool_error";
        line.isError = true;
      }
      this.logger.info(line, entry.tool ? `${entry.method} ${entry.tool}` : entry.method);
    }
    this.observe?.({
      method: entry.method,
      ...(entry.tool !== undefined ? { tool: entry.tool } : {}),
      era: entry.era,
      outcome,
      seconds: ms / 1000,
    });
  }
}

export interface Exchange {
  received(message: unknown): void;
  sent(message: unknown): void;
}

/** The JSON-RPC messages in a response body: one JSON value, or SSE `data:` events. */
export function messagesIn(body: string, contentType: string): unknown[] {
  const parse = (text: string): unknown[] => {
    try {
      const value: unknown = JSON.parse(text);
      return Array.isArray(value) ? value : [value];
    } catch {
      return [];
    }
  };
  if (contentType.includes("text/event-stream")) {
    return body
      .split(/\r?\n/)
      .filter((line) => line.startsWith("data:"))
      .flatMap((line) => parse(line.slice(5).trim()));
  }
  return contentType.includes("json") ? parse(body) : [];
}

/** The writable side of an HTTP response, as node:http and express give it. */
interface ResponseLike {
  write(...args: unknown[]): boolean;
  end(...args: unknown[]): unknown;
  getHeader(name: string): unknown;
}

/**
 * Logs every request in an HTTP POST body when its answer is written on that
 * response. The response's bytes are read as they pass (nothing is buffered beyond
 * what a JSON-RPC message needs), so streaming answers are logged as they complete.
 */
export function tapHttpExchange(
  log: RequestLog,
  body: unknown,
  res: ResponseLike,
  era: Era,
  session?: string,
): void {
  const requests = (Array.isArray(body) ? body : [body]).filter(
    (m): m is Message => isObject(m) && "id" in m && typeof m.method === "string",
  );
  if (requests.length === 0) return;
  const exchange = log.exchange(era, session);
  for (const request of requests) exchange.received(request);
  let buffered = "";
  const feed = (chunk: unknown, final: boolean) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== "function") {
      buffered += typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString();
    }
    const type = String(res.getHeader("content-type") ?? "");
    if (type.includes("text/event-stream")) {
      // Complete events end with a blank line; keep the unfinished rest.
      const cut = buffered.lastIndexOf("\n\n");
      if (cut < 0 && !final) return;
      const complete = final ? buffered : buffered.slice(0, cut);
      buffered = final ? "" : buffered.slice(cut + 2);
      for (const message of messagesIn(complete, type)) exchange.sent(message);
    } else if (final) {
      for (const message of messagesIn(buffered, type)) exchange.sent(message);
      buffered = "";
    }
  };
  const write = res.write.bind(res);
  const end = res.end.bind(res);
  res.write = (...args: unknown[]) => {
    feed(args[0], false);
    return write(...args);
  };
  res.end = (...args: unknown[]) => {
    feed(args[0], true);
    return end(...args);
  };
}
