// `npm run build` (npm ci and npm install run it as `prepare`): bundles each command that
// npm start, npm run agent and friends run into dist/, so they start with plain node:
// no TypeScript transpiling on every start, and one file to read instead of a thousand.
//
// - esbuild, transpiling only (npm run typecheck checks the types). Dependencies are
//   bundled too, except pino and its transports: pino starts worker threads from files
//   it finds next to its own, which must stay where npm put them.
// - Code splitting: modules that an entry loads with import() (the OpenAI model, the
//   REPL, the stdio transport...) go to chunks of their own, read only when a run needs
//   them. Entries and chunks all sit in dist/, so import.meta.url-relative assets have
//   one place: dist/migrations/*.sql.
// - dist/build.json records when the build started and the project's own inputs; the
//   launcher (scripts/run.mjs) rebuilds when one of them is newer.
import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { URL, fileURLToPath } from "node:url";
import { build as esbuild } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** dist/NAME.js <- source, one per command that runs from the build. */
export const ENTRIES = {
  server: "server/src/main.ts",
  agent: "agent/src/cli.ts",
  demo: "agent/src/demo.ts",
  info: "server/src/cli/info.ts",
  "token-new": "server/src/cli/tokenNew.ts",
  "db-migrate": "server/src/cli/dbMigrate.ts",
  "db-import": "server/src/cli/dbImport.ts",
  // Not a command: the thread the in-memory store is built in (server/src/sources/loadStore.ts).
  "store-build-worker": "server/src/sources/storeBuildWorker.ts",
};

/** Besides the sources esbuild reads: a change here changes the build too. */
export const EXTRA_INPUTS = [
  "package.json",
  "package-lock.json",
  "node_modules/.package-lock.json", // npm rewrites it on every install
  "scripts/build.mjs",
];

const MIGRATIONS = "server/src/sources/migrations";

export async function build({ outdir = join(ROOT, "dist"), quiet = false } = {}) {
  const started = Date.now();
  const result = await esbuild({
    absWorkingDir: ROOT,
    entryPoints: Object.entries(ENTRIES).map(([out, src]) => ({ out, in: src })),
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    chunkNames: "chunk-[hash]",
    external: ["pino", "pino-pretty", "pino-roll", "pg-native"],
    // Bundled CommonJS packages call require(): give the ES module output one.
    banner: {
      js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
    },
    metafile: true,
    logLevel: "warning",
  });
  // What an earlier build left that this one did not write (old chunks): removed.
  const written = new Set(Object.keys(result.metafile.outputs).map((f) => join(ROOT, f)));
  for (const file of await readdir(outdir)) {
    if (/\.js(\.map)?$/.test(file) && !written.has(join(outdir, file))) {
      await rm(join(outdir, file), { force: true });
    }
  }
  const migrations = (await readdir(join(ROOT, MIGRATIONS))).filter((f) => f.endsWith(".sql"));
  await rm(join(outdir, "migrations"), { recursive: true, force: true });
  await mkdir(join(outdir, "migrations"));
  for (const file of migrations) {
    await copyFile(join(ROOT, MIGRATIONS, file), join(outdir, "migrations", file));
  }
  const sources = Object.keys(result.metafile.inputs).filter((f) => !f.includes("node_modules/"));
  const inputs = [
    ...sources,
    ...EXTRA_INPUTS.filter((f) => existsSync(join(ROOT, f))),
    MIGRATIONS, // a migration added or removed
    ...migrations.map((f) => `${MIGRATIONS}/${f}`),
  ].sort();
  await writeFile(
    join(outdir, "build.json"),
    `${JSON.stringify({ started, entries: ENTRIES, inputs }, null, 2)}\n`,
  );
  if (!quiet) {
    const where = relative(process.cwd(), outdir) || ".";
    const ms = Date.now() - started;
    process.stderr.write(`built ${where}/ from ${sources.length} sources in ${ms} ms\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--outdir");
  await build(at > 0 ? { outdir: process.argv[at + 1] } : {});
}
