import type { ToolAnnotations } from "@modelcontextprotocol/server";
import type { Logger } from "../../logger.js";
import type { TicketStore } from "../../tickets/store.js";

/** What every tool handler needs; passed in, never imported as a global. */
export interface ToolDeps {
  store: TicketStore;
  logger: Logger;
}

/**
 * All four hints set explicitly: clients ask users to approve calls whose hints are
 * unset, and these tools only read a fixed, local data set.
 */
export const READ_ONLY: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};
