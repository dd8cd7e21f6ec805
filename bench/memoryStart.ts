/**
 * One in-memory start (or reload) in a process of its own, so its time and memory are
 * its own. Prints one JSON object on stdout.
 *
 *   node --expose-gc --import tsx bench/memoryStart.ts start FILE SNAPSHOT_DIR
 *     loads FILE as the server does (snapshot used if valid, else built and written);
 *     also times a keyword page and a three-filter page in the store.
 *   node --expose-gc --import tsx bench/memoryStart.ts reload FILE SNAPSHOT_DIR
 *     loads FILE (from the snapshot), then reloads it as a changed file is reloaded
 *     (streamed and built beside the store in service, then swapped).
 */
import { pino } from "pino";
import { loadMemoryStore } from "../server/src/sources/loadStore.js";
import { ReloadingStore } from "../server/src/sources/reloadingStore.js";
import { parseSearchQuery } from "../server/src/tickets/query.js";
import { memoryMb, time, type Latency } from "./measure.js";

export interface StartResult {
  ms: number;
  fromSnapshot: boolean;
  /** RSS after a full GC once open, and the process's peak RSS (maxRSS), in MB. */
  rssMb: number;
  peakMb: number;
  baselineMb: number;
  pages?: { keyword: Latency; threeFilters: Latency };
}

export interface ReloadResult {
  steadyMb: number;
  /** Peak RSS of the process over the reload (the start before it peaks lower). */
  peakMb: number;
  afterMb: number;
  reloadMs: number;
}

const peakMb = () => (process.resourceUsage().maxRSS * 1024) / 1e6;

async function main([mode, file, snapshotDir]: string[]): Promise<void> {
  const messages: string[] = [];
  const logger = pino(
    { level: "info" },
    { write: (line: string) => void messages.push((JSON.parse(line) as { msg: string }).msg) },
  );
  const baseline = memoryMb().rss;
  const started = performance.now();
  const load = (path: string) => loadMemoryStore(path, { snapshotDir, logger });
  const store = await load(file!);
  const ms = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 200)); // let the worker's memory go
  const rss = memoryMb().rss;
  if (mode === "start") {
    const keyword = parseSearchQuery({ keyword: "password" });
    const three = parseSearchQuery({ status: "open", priority: "critical", category: "security" });
    const result: StartResult = {
      ms,
      fromSnapshot: messages.includes("tickets loaded from snapshot"),
      rssMb: rss,
      peakMb: peakMb(),
      baselineMb: baseline,
      pages: {
        keyword: await time(() => store.search(keyword)),
        threeFilters: await time(() => store.search(three)),
      },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else if (mode === "reload") {
    // A changed file is streamed in without a snapshot: built as on a first start.
    const reloading = new ReloadingStore(store, file!, (path) => loadMemoryStore(path), logger);
    const t0 = performance.now();
    await reloading.reload();
    const reloadMs = performance.now() - t0;
    const peak = peakMb();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const result: ReloadResult = { steadyMb: rss, peakMb: peak, afterMb: memoryMb().rss, reloadMs };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    throw new Error(`mode must be start or reload, got ${mode}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
