import type { ToolAnnotations } from "@modelcontextprotocol/server";
import type { Logger } from "../../logger.js";
import type { TicketStore } from "../../tickets/store.js";
import type { ClientLog } from "../clientLog.js";

/** What every tool handler needs; passed in, never imported as a global. */
export interface ToolDeps {
  store: TicketStore;
  logger: Logger;
  /** Log notifications for clients that asked for them (set by buildMcpServer). */
  clientLog?: ClientLog;
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
