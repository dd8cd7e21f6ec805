/**
 * `npm run db:migrate`: applies the pending schema migrations to DATABASE_URL (schema
 * DATABASE_SCHEMA) and says what it did. The server does the same on start unless
 * DATABASE_MIGRATE=false; this is for setups where a deploy step migrates instead.
 */
import { ConfigError, loadConfig, loadDotEnv } from "../config.js";
import { migrate } from "../sources/postgresMigrate.js";
import { PostgresTicketStore, redactUrl } from "../sources/postgresStore.js";

const USAGE = `Usage: npm run db:migrate
Applies the PostgreSQL schema migrations (server/src/sources/migrations/) to
DATABASE_URL, in schema DATABASE_SCHEMA (default public). Safe to run again.`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  if (argv.length > 0) {
    console.error(`Unknown argument ${argv[0]}.\n${USAGE}`);
    return 2;
  }
  loadDotEnv();
  const config = loadConfig();
  const url = config.DATABASE_URL;
  if (url === undefined) {
    console.error("Set DATABASE_URL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/tickets");
    return 2;
  }
  const store = new PostgresTicketStore({ connectionString: url, schema: config.DATABASE_SCHEMA });
  try {
    const { from, to, applied } = await migrate(store.pool, store.schema);
    const where = `${redactUrl(url)} (schema ${store.schema})`;
    console.log(
      applied.length === 0
        ? `${where}: already at version ${to}, the latest.`
        : `${where}: version ${from} -> ${to}; applied ${applied.join(", ")}.`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(error instanceof ConfigError ? message : `db:migrate failed: ${message}`);
    process.exit(1);
  },
);
