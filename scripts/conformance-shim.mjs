/**
 * Preload that lets the @modelcontextprotocol/conformance CLI start on Node 20:
 *
 *   node --import ./scripts/conformance-shim.mjs node_modules/.bin/conformance ...
 *
 * Its bundle does `import { globSync } from "fs"`, which exists from Node 22 only, so on
 * Node 20 the CLI dies at link time before any command runs. Only its `tier-check`
 * command calls globSync, and we never run that. Assigning fs.globSync does not help
 * (a builtin's ESM export names are fixed when Node boots), so this registers a resolve
 * hook that, for imports of "fs" from the conformance package only, substitutes a module
 * re-exporting node:fs plus a globSync stub that throws if ever called.
 * On Node 22+ (real globSync) it does nothing.
 */
import * as fs from "node:fs";
import { register } from "node:module";

if (!("globSync" in fs)) {
  const fsWithStub = [
    'export * from "node:fs";',
    'export { default } from "node:fs";',
    "export function globSync() {",
    `  throw new Error("fs.globSync is not available on Node " + process.versions.node + "; the conformance tier-check command needs Node 22+.");`,
    "}",
  ].join("\n");
  const hooks = `
    const target = ${JSON.stringify(`data:text/javascript,${encodeURIComponent(fsWithStub)}`)};
    export async function resolve(specifier, context, nextResolve) {
      if ((specifier === "fs" || specifier === "node:fs") &&
          (context.parentURL ?? "").includes("/node_modules/@modelcontextprotocol/conformance/")) {
        return { url: target, shortCircuit: true };
      }
      return nextResolve(specifier, context);
    }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}
