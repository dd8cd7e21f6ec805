// `node scripts/run.mjs NAME [ARGS]`: what npm start, npm run agent and the other commands
// run. Starts dist/NAME.js, the build of that command (scripts/build.mjs), with plain
// node; when a source (or package.json, the lock file, the installed packages) is newer
// than the build, or there is no build yet, it rebuilds first, saying so on stderr, so
// an edited file always takes effect. The check reads a few dozen file times: about a
// millisecond.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { URL, fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
// (MCP_TICKETS_DIST: another build dir, for the build test.)
const DIST = process.env.MCP_TICKETS_DIST ?? join(ROOT, "dist");
const [name, ...args] = process.argv.slice(2);

/** Why dist/ cannot run NAME as it is, or undefined when it can. */
function staleness() {
  let build;
  try {
    build = JSON.parse(readFileSync(join(DIST, "build.json"), "utf8"));
  } catch {
    return "there is no build yet";
  }
  if (!build.entries?.[name]) return `the build has no ${name}`;
  for (const input of build.inputs) {
    let mtime;
    try {
      mtime = statSync(join(ROOT, input)).mtimeMs;
    } catch {
      return `${input} is gone`;
    }
    if (mtime > build.started) return `${input} changed`;
  }
  return undefined;
}

if (!name) {
  process.stderr.write("usage: node scripts/run.mjs NAME [ARGS] (NAME: see scripts/build.mjs)\n");
  process.exit(2);
}
const reason = staleness();
if (reason) {
  process.stderr.write(`[build] ${reason} since the last build: rebuilding dist/ ...\n`);
  const { build, ENTRIES } = await import("./build.mjs");
  if (!(name in ENTRIES)) {
    process.stderr.write(
      `[build] no command ${name}; one of: ${Object.keys(ENTRIES).join(", ")}\n`,
    );
    process.exit(2);
  }
  await build({ outdir: DIST, quiet: true });
}
const entry = join(DIST, `${name}.js`);
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(entry).href);
