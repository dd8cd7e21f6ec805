/**
 * One store in a process of its own, so start-up time and memory are this store's alone:
 * opens it, then times each kind of search. Prints one JSON object on stdout.
 *
 *   node --expose-gc --import tsx bench/searchWorker.ts memory FILE
 *   node --expose-gc --import tsx bench/searchWorker.ts postgres DATABASE_URL SCHEMA
 */
import { loadMemoryStore } from "../server/src/sources/loadStore.js";
import { PostgresTicketStore } from "../server/src/sources/postgresStore.js";
import { parseFilters, parseSearchQuery, type SearchInput } from "../server/src/tickets/query.js";
import type { TicketStore } from "../server/src/tickets/store.js";
import { memoryMb, time, type Latency } from "./measure.js";

/** The kinds of search the report compares, each as a search_tickets call would ask. */
export const QUERY_KINDS: { kind: string; input: SearchInput }[] = [
  { kind: "one field", input: { status: "open" } },
  { kind: "three fields", input: { status: "open", priority: "critical", category: "security" } },
  { kind: "user_id", input: { user_id: "user123" } },
  { kind: "keyword", input: { keyword: "password" } },
  { kind: "keyword + status", input: { keyword: "password", status: "open" } },
  { kind: "keyword + filters", input: { keyword: "payment", status: "open", priority: "high" } },
  { kind: "phrase", input: { keyword: '"payment failed"' } },
];

export interface WorkerResult {
  store: string;
  tickets: number;
  startupMs: { read?: number; index?: number; open?: number; total: number };
  memoryMb: { rss: number; heap: number; external: number };
  /** The same process before it opened the store (Node, tsx and the modules loaded). */
  baselineMb: { rss: number; heap: number; external: number };
  searches: { kind: string; total: number; latency: Latency }[];
}

/** The cursor of the page that starts about `depth` matches in (or half-way, if fewer). */
async function deepCursor(store: TicketStore, input: SearchInput, depth: number) {
  const first = await store.search(parseSearchQuery({ ...input, limit: 100 }));
  const target = Math.min(depth, Math.floor(first.total / 2));
  let cursor = first.nextCursor;
  for (let seen = 100; seen < target && cursor; seen += 100) {
    cursor = (await store.search(parseSearchQuery({ ...input, limit: 100, cursor }))).nextCursor;
  }
  return cursor;
}

async function main([kind, ...args]: string[]): Promise<void> {
  const baseline = memoryMb();
  const started = performance.now();
  let store: TicketStore;
  let startupMs: WorkerResult["startupMs"];
  if (kind === "memory") {
    // Streamed and indexed as the server does it, without a snapshot (a first start).
    store = await loadMemoryStore(args[0]!);
    startupMs = { total: performance.now() - started };
  } else if (kind === "postgres") {
    const pg = new PostgresTicketStore({
      connectionString: args[0]!,
      schema: args[1]!,
      statementTimeoutMs: 60_000,
    });
    await pg.open();
    await pg.search(parseSearchQuery({ limit: 1 }));
    store = pg;
    startupMs = { open: performance.now() - started, total: performance.now() - started };
  } else {
    throw new Error(`store must be memory or postgres, got ${kind}`);
  }
  const memory = memoryMb();
  const { count } = await store.info();
  const searches: WorkerResult["searches"] = [];
  for (const { kind: name, input } of QUERY_KINDS) {
    const query = parseSearchQuery(input);
    const { total } = await store.search(query);
    searches.push({ kind: name, total, latency: await time(() => store.search(query)) });
  }
  const deepInput = { status: "open" };
  const cursor = await deepCursor(store, deepInput, 10_000);
  const deep = parseSearchQuery({ ...deepInput, ...(cursor ? { cursor } : {}) });
  searches.push({
    kind: "deep page (~10,000 in)",
    total: (await store.search(deep)).total,
    latency: await time(() => store.search(deep)),
  });
  const all = parseFilters({});
  searches.push({
    kind: "stats by category",
    total: count,
    latency: await time(() => store.stats(all, "category"), { maxRuns: 50 }),
  });
  const result: WorkerResult = {
    store: kind,
    tickets: count,
    startupMs,
    memoryMb: memory,
    baselineMb: baseline,
    searches,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await store.close?.();
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
