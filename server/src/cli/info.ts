/**
 * `npm run info`: what this server is and what its data holds (the seed's `make info`).
 * Reads the same config and store as the server, so it checks the data file too.
 *
 *   npm run info [-- --json]
 */
import { ConfigError, loadConfig, loadDotEnv } from "../config.js";
import { SERVER_NAME, SERVER_VERSION } from "../mcp/buildServer.js";
import { TOOLS } from "../mcp/tools/index.js";
import { createLogger } from "../logger.js";
import { StoreOpenError, loadMemoryStore, openPostgresStore } from "../sources/loadStore.js";
import { TicketFileError } from "../sources/spreadsheet.js";
import type { GroupField } from "../tickets/query.js";
import type { TicketStore } from "../tickets/store.js";

const GROUPS: GroupField[] = ["status", "priority", "category", "assigned_to"];

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(
      "Usage: npm run info [-- --json]\nPrints the server's name, version, endpoint, data source and ticket counts.",
    );
    return 0;
  }
  loadDotEnv();
  const config = loadConfig();
  const started = performance.now();
  const store: TicketStore =
    config.TICKETS_STORE === "postgres"
      ? await openPostgresStore(config, createLogger({ level: "warn", fd: 2 }))
      : await loadMemoryStore(config.TICKETS_FILE);
  const loadMs = Math.round(performance.now() - started);
  const { count, source } = await store.info();
  const counts: Record<string, Record<string, number>> = {};
  for (const group of GROUPS) {
    const { groups } = await store.stats({}, group);
    counts[group] = Object.fromEntries(groups.map((g) => [g.value, g.count]));
  }
  const users = (await store.stats({}, "user_id")).groups.length;
  const info = {
    name: SERVER_NAME,
    version: SERVER_VERSION,
    endpoint: `http://${config.HOST}:${config.PORT}/mcp`,
    mode: config.MCP_STATELESS ? "stateless" : "sessions",
    tools: TOOLS.map((t) => t.name),
    data: { source, tickets: count, users, load_ms: loadMs },
    counts,
  };
  if (argv.includes("--json")) {
    console.log(JSON.stringify(info, null, 2));
    return 0;
  }
  const row = (obj: Record<string, number>) =>
    Object.entries(obj)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
  console.log(`${info.name} ${info.version}`);
  console.log(`endpoint:    ${info.endpoint} (${info.mode})`);
  console.log(`tools:       ${info.tools.join(", ")}`);
  console.log(`data:        ${source}: ${count} tickets, ${users} users (loaded in ${loadMs} ms)`);
  for (const group of GROUPS) console.log(`${`${group}:`.padEnd(13)}${row(counts[group]!)}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const known = [ConfigError, TicketFileError, StoreOpenError].some((k) => err instanceof k);
    if (known) console.error((err as Error).message);
    else console.error(`info failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
