/**
 * Opens the configured ticket store. Today: the file named by TICKETS_FILE, loaded into
 * the indexed in-memory store. (A PostgreSQL store will be chosen here too.)
 */
import { MemoryTicketStore } from "../tickets/memoryStore.js";
import { readTicketsFile } from "./spreadsheet.js";

export async function loadMemoryStore(file: string): Promise<MemoryTicketStore> {
  const tickets = await readTicketsFile(file);
  return new MemoryTicketStore(tickets, file);
}
