/**
 * Versioned schema migrations: migrations/NNN_name.sql, applied in order, each once,
 * recorded in schema_migrations. The server applies them on start (unless
 * DATABASE_MIGRATE=false) and `npm run db:migrate` applies them on demand.
 *
 * All pending migrations run in one transaction under an advisory lock, so replicas that
 * start together neither race nor leave a half-made schema: one applies, the others wait
 * and then find nothing to do.
 */
import { readFile, readdir } from "node:fs/promises";
import type pg from "pg";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface MigrationResult {
  /** Version before and after. */
  from: number;
  to: number;
  applied: string[];
}

const MIGRATIONS_DIR = new URL("./migrations/", import.meta.url);
const FILE_NAME = /^(\d+)_[a-z0-9_]+\.sql$/;

/** A PostgreSQL schema name we accept: plain identifiers only, so no quoting games. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export class MigrationError extends Error {
  override readonly name = "MigrationError";
}

let cached: Promise<Migration[]> | undefined;

/** Every migration shipped with the server, by version. */
export function migrations(): Promise<Migration[]> {
  cached ??= (async () => {
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith(".sql")).sort();
    const list: Migration[] = [];
    for (const name of files) {
      const match = FILE_NAME.exec(name);
      if (!match) throw new MigrationError(`migrations/${name}: name must look like 003_what.sql`);
      const version = Number(match[1]);
      if (version !== list.length + 1) {
        throw new MigrationError(
          `migrations/${name}: version ${version} out of sequence (expected ${list.length + 1})`,
        );
      }
      list.push({ version, name, sql: await readFile(new URL(name, MIGRATIONS_DIR), "utf8") });
    }
    return list;
  })();
  return cached;
}

export async function latestVersion(): Promise<number> {
  return (await migrations()).length;
}

/** The version the database's schema is at (0: never migrated). */
export async function schemaVersion(db: pg.Pool | pg.PoolClient): Promise<number> {
  // Two statements: a query naming a missing table fails when parsed, even in a CASE.
  const { rows: found } = await db.query<{ exists: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS exists",
  );
  if (!found[0]?.exists) return 0;
  const { rows } = await db.query<{ version: number }>(
    "SELECT coalesce(max(version), 0) AS version FROM schema_migrations",
  );
  return rows[0]?.version ?? 0;
}

/** Applies every pending migration to `schema` (created if missing). */
export async function migrate(pool: pg.Pool, schema: string): Promise<MigrationResult> {
  if (!SCHEMA_NAME.test(schema)) {
    throw new MigrationError(
      `schema ${JSON.stringify(schema)}: use lower-case letters, digits and _ (at most 63)`,
    );
  }
  const all = await migrations();
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`mcp-tickets:${schema}`]);
    // (public exists already, and creating it would need a privilege we may not have.)
    if (schema !== "public") await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    // Migrations create their tables in the first schema of the search path.
    await client.query(`SET LOCAL search_path TO ${schema}, public`);
    await client.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, " +
        "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const from = await schemaVersion(client);
    const applied: string[] = [];
    for (const migration of all.filter((m) => m.version > from)) {
      try {
        await client.query(migration.sql);
      } catch (error) {
        throw new MigrationError(
          `migration ${migration.name} failed: ${(error as Error).message}`,
          { cause: error },
        );
      }
      await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.name);
    }
    await client.query("COMMIT");
    return { from, to: Math.max(from, all.length), applied };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
