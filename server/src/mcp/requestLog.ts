/**
 * One log line per MCP request, whatever the transport: method, tool, the argument
 * names (never their values: they may hold customer text), result count, outcome and
 * duration. Works by wrapping the transport after the server has connected to it.
 */
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { Logger } from "../logger.js";

interface Pending {
  method: string;
  tool?: string;
  args?: string[];
  start: number;
}

/** How many items a result carries: tickets matched, tools listed, groups counted... */
function resultCount(result: Record<string, unknown>): number | undefined {
  const structured = result.structuredContent as Record<string, unknown> | undefined;
  if (structured && typeof structured.total === "number") return structured.total;
  if (structured && "ticket" in structured) return 1;
  for (const key of ["tools", "resources", "resourceTemplates", "prompts", "contents"]) {
    const value = result[key];
    if (Array.isArray(value)) return value.length;
  }
  return undefined;
}

/** What a finished request was, for metrics. */
export interface RequestOutcome {
  method: string;
  tool?: string;
  outcome: "ok" | "tool_error" | "error";
  seconds: number;
}

export function logRequests(
  transport: Transport,
  logger: Logger,
  observe?: (outcome: RequestOutcome) => void,
): void {
  const pending = new Map<string | number, Pending>();
  const receive = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if ("method" in message && "id" in message) {
      const params = (message.params ?? {}) as { name?: unknown; arguments?: unknown };
      const entry: Pending = { method: message.method, start: performance.now() };
      if (message.method === "tools/call") {
        entry.tool = String(params.name);
        if (params.arguments && typeof params.arguments === "object") {
          entry.args = Object.keys(params.arguments);
        }
      }
      pending.set(message.id, entry);
    }
    receive?.(message, extra);
  };
  const send = transport.send.bind(transport);
  transport.send = async (message: JSONRPCMessage, options) => {
    if (
      "id" in message &&
      message.id !== undefined &&
      ("result" in message || "error" in message)
    ) {
      const entry = pending.get(message.id);
      if (entry) {
        pending.delete(message.id);
        const ms = Math.round((performance.now() - entry.start) * 10) / 10;
        const line: Record<string, unknown> = { method: entry.method, ms };
        if (entry.tool !== undefined) line.tool = entry.tool;
        if (entry.args !== undefined) line.args = entry.args;
        if (transport.sessionId !== undefined) line.session = transport.sessionId.slice(0, 8);
        let outcome: RequestOutcome["outcome"] = "ok";
        if ("error" in message) {
          outcome = "error";
          line.error = message.error.code;
          logger.warn(line, `${entry.method} failed: ${message.error.message}`);
        } else {
          const result = message.result as Record<string, unknown>;
          const count = resultCount(result);
          if (count !== undefined) line.count = count;
          if (result.isError === true) {
            outcome = "tool_error";
            line.isError = true;
          }
          logger.info(line, entry.tool ? `${entry.method} ${entry.tool}` : entry.method);
        }
        observe?.({
          method: entry.method,
          ...(entry.tool !== undefined ? { tool: entry.tool } : {}),
          outcome,
          seconds: ms / 1000,
        });
      }
    }
    return send(message, options);
  };
}
