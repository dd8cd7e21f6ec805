/**
 * Preload that lets the @modelcontextprotocol/conformance CLIs start on Node 20:
 *
 *   node --import ./scripts/conformance-shim.mjs node_modules/.bin/conformance ...
 *
 * Both the 0.1.16 bundle and the 0.2.0 prerelease (installed under the alias
 * @modelcontextprotocol/conformance-next) do `import { globSync } from "fs"`, which
 * exists from Node 22 only, so on Node 20 the CLI dies at link time before any command
 * runs. Assigning fs.globSync does not help (a builtin's ESM export names are fixed when
 * Node boots), so this registers a resolve hook that, for imports of "fs" / "node:fs"
 * from those two packages only, substitutes a module re-exporting node:fs plus a small
 * globSync. Only their `tier-check` command calls it (the prerelease as
 * `globSync("**\/checks.json", { cwd })` to collect results), which scripts/conformance.sh
 * never runs; it is a real, if minimal, implementation anyway: `*`, `?`, `**` segments,
 * `cwd`, paths relative to it, no braces or character classes (those throw).
 * On Node 22+ (real globSync) it does nothing.
 */
import * as fs from "node:fs";
import { register } from "node:module";

// The substitute module's source. It runs in the CLI's thread, as an ES module.
const fsWithGlob = String.raw`
export * from "node:fs";
export { default } from "node:fs";
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";

function segmentRegExp(segment) {
  if (/[[\]{}]/.test(segment)) {
    throw new Error("conformance-shim globSync: unsupported pattern segment " + segment);
  }
  const body = segment.replace(/[.+^$()|\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]");
  return new RegExp("^" + body + "$");
}

export function globSync(pattern, options = {}) {
  if (Array.isArray(pattern)) return [...new Set(pattern.flatMap((p) => globSync(p, options)))];
  const cwd = resolve(String(options.cwd ?? process.cwd()));
  const parts = String(pattern).split("/").filter((p) => p !== "" && p !== ".");
  const out = new Set();
  const entries = (dir) => {
    try {
      return readdirSync(join(cwd, dir), { withFileTypes: true });
    } catch {
      return [];
    }
  };
  const walk = (dir, i) => {
    if (i === parts.length) {
      if (dir !== "") out.add(dir);
      return;
    }
    const part = parts[i];
    if (part === "**") {
      walk(dir, i + 1); // ** matches zero directories
      for (const e of entries(dir)) {
        if (e.isDirectory() && !e.name.startsWith(".")) walk(join(dir, e.name), i);
      }
      return;
    }
    const re = segmentRegExp(part);
    const last = i === parts.length - 1;
    for (const e of entries(dir)) {
      if (!re.test(e.name) || (e.name.startsWith(".") && !part.startsWith("."))) continue;
      if (last || e.isDirectory()) walk(join(dir, e.name), i + 1);
    }
  };
  walk("", 0);
  return [...out].sort();
}
`;

if (!("globSync" in fs)) {
  const hooks = `
    const target = ${JSON.stringify(`data:text/javascript,${encodeURIComponent(fsWithGlob)}`)};
    const packages = ["/node_modules/@modelcontextprotocol/conformance/",
                      "/node_modules/@modelcontextprotocol/conformance-next/"];
    export async function resolve(specifier, context, nextResolve) {
      const parent = context.parentURL ?? "";
      if ((specifier === "fs" || specifier === "node:fs") && packages.some((p) => parent.includes(p))) {
        return { url: target, shortCircuit: true };
      }
      return nextResolve(specifier, context);
    }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}
