/**
 * completion/complete, answered here rather than by the SDK's built-in completers so
 * that the answer is truthful: the SDK reports `total` as the number of suggestions it
 * was handed and `hasMore: false` below 100, whatever the store holds. Here a page of
 * COMPLETIONS ids is asked for one more than it shows, so `hasMore` is exact, and
 * `total` is given only when it is known (everything fitted). Argument names are
 * matched exactly: `__proto__` or `toString` is an unknown argument like any other.
 */
import {
  ProtocolError,
  ProtocolErrorCode,
  type CompleteResult,
  type McpServer,
} from "@modelcontextprotocol/server";
import { MAX_ID_LENGTH, hasControlCharacters } from "../tickets/query.js";
import { CATEGORIES } from "../tickets/ticket.js";
import * as triagePrompt from "./prompts/triage.js";
import { URI_TEMPLATE } from "./resources/ticketResource.js";
import type { ToolDeps } from "./tools/deps.js";

export const COMPLETIONS = 20;

function page(found: readonly string[]): CompleteResult {
  const values = found.slice(0, COMPLETIONS);
  const hasMore = found.length > COMPLETIONS;
  return { completion: { values, hasMore, ...(hasMore ? {} : { total: values.length }) } };
}

const NOTHING: CompleteResult = { completion: { values: [], total: 0, hasMore: false } };

export function register(server: McpServer, { store }: ToolDeps): void {
  server.server.registerCapabilities({ completions: {} });
  server.server.setRequestHandler("completion/complete", async (request) => {
    const { ref, argument } = request.params;
    const value = argument.value;
    if (ref.type === "ref/resource") {
      if (ref.uri !== URI_TEMPLATE) {
        throw new ProtocolError(
          ProtocolErrorCode.InvalidParams,
          `Unknown resource template ${JSON.stringify(ref.uri.slice(0, 80))}; this server completes ${URI_TEMPLATE}.`,
        );
      }
      if (argument.name !== "ticket_id") return NOTHING;
      // A suggestion, not a query: text that no id can contain suggests nothing.
      if (hasControlCharacters(value) || value.length > MAX_ID_LENGTH) return NOTHING;
      return page(await store.suggestIds(value, COMPLETIONS + 1));
    }
    if (ref.name !== triagePrompt.name) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Unknown prompt ${JSON.stringify(ref.name.slice(0, 80))}; this server's prompt is ${triagePrompt.name}.`,
      );
    }
    if (argument.name !== "category") return NOTHING;
    const prefix = value.trim().toLowerCase();
    return page(CATEGORIES.filter((c) => c.startsWith(prefix)));
  });
}
