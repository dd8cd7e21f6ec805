/**
 * Reads a ticket file into the in-memory store's rows (columns and keyword index) in a
 * worker thread, and hands them over without a copy (the typed arrays' buffers are
 * transferred); the caller adds the sort orders.
 *
 * Why a thread: the parse makes a heap's worth of short-lived row objects. In a worker,
 * that heap is capped (so it is collected early rather than grown: the process's peak
 * stays near its steady size) and thrown away whole at the end; and the main thread
 * keeps serving the current data while a changed file is read.
 */
import { parentPort, workerData } from "node:worker_threads";
import { MemoryStoreBuilder, type StoreRows } from "../tickets/memoryStore.js";
import { streamTicketsFile } from "./spreadsheet.js";
import { TicketFileError } from "./ticketFileError.js";

export interface BuildRequest {
  file: string;
}

export type BuildReply =
  | { ok: true; rows: StoreRows }
  | {
      ok: false;
      error: {
        message: string;
        problem?: TicketFileError["problem"];
        file?: string;
        details?: { row?: number; line?: number; field?: string; value?: unknown };
      };
    };

/** Every distinct ArrayBuffer under `value`, to transfer rather than copy. */
function buffers(value: unknown, out = new Set<ArrayBuffer>()): Set<ArrayBuffer> {
  if (ArrayBuffer.isView(value)) out.add(value.buffer as ArrayBuffer);
  else if (Array.isArray(value)) for (const v of value) buffers(v, out);
  else if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) buffers(v, out);
  }
  return out;
}

async function run(): Promise<void> {
  const { file } = workerData as BuildRequest;
  let reply: BuildReply;
  try {
    const builder = new MemoryStoreBuilder();
    for await (const batch of streamTicketsFile(file)) builder.add(batch);
    const rows = builder.finishRows();
    parentPort!.postMessage({ ok: true, rows } satisfies BuildReply, [...buffers(rows)]);
    return;
  } catch (error) {
    const e = error as TicketFileError;
    reply = {
      ok: false,
      error:
        error instanceof TicketFileError
          ? {
              message: e.message,
              problem: e.problem,
              file: e.file,
              details: { row: e.row, line: e.line, field: e.field, value: e.value },
            }
          : { message: error instanceof Error ? error.message : String(error) },
    };
  }
  parentPort!.postMessage(reply);
}

if (parentPort) void run();
