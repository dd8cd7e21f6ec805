/**
 * The one place where errors become tool results. A TicketError is the caller's to fix:
 * its message goes back as an `isError` result the model can act on. Anything else is a
 * bug: it is logged with its stack, and the caller gets a plain message without details.
 */
import type { CallToolResult, ServerContext } from "@modelcontextprotocol/server";
import type { Logger } from "../logger.js";
import { TicketError } from "../tickets/errors.js";
import type { ToolDeps } from "./tools/deps.js";

export function errorResult(message: string): CallToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}

export function toToolError(tool: string, error: unknown, logger: Logger): CallToolResult {
  if (error instanceof TicketError) return errorResult(error.message);
  logger.error({ err: error, tool }, "tool failed");
  return errorResult(`${tool} failed because of an internal error; it has been logged. Try again.`);
}

/**
 * Runs a tool body; typed errors become `isError` results in one place. Clients that
 * asked for log notifications get one line per call: the tool, how it went, how long.
 */
export async function runTool(
  tool: string,
  { logger, clientLog }: Pick<ToolDeps, "logger" | "clientLog">,
  ctx: ServerContext,
  body: () => Promise<CallToolResult>,
): Promise<CallToolResult> {
  const started = performance.now();
  let result: CallToolResult;
  try {
    result = await body();
  } catch (error) {
    result = toToolError(tool, error, logger);
  }
  clientLog?.(ctx, result.isError ? "warning" : "info", {
    tool,
    ok: !result.isError,
    ms: Math.round(performance.now() - started),
  });
  return result;
}
