/**
 * Bundles each MCP Apps view (apps/<view>/view.ts + apps/shared/base.css) into one
 * self-contained HTML file, apps/dist/<tool>.html: the script and styles inlined, a
 * Content-Security-Policy that allows nothing remote, no CDN, no runtime fetch.
 *
 *   npm run build:apps            write apps/dist/*.html
 *   npm run build:apps -- --check fail if the committed files differ from a fresh build
 *
 * The built files are committed (the server reads them at startup and `npm test` runs on
 * a fresh clone without a build step); server/test/apps.test.ts fails when they are stale.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

const APPS = path.dirname(fileURLToPath(import.meta.url));
export const DIST = path.join(APPS, "dist");

/** tool name -> view folder and page title. */
export const VIEWS = {
  search_tickets: { dir: "search", title: "Tickets" },
  ticket_stats: { dir: "stats", title: "Ticket counts" },
} as const;
export type ViewTool = keyof typeof VIEWS;

/** The page's own CSP: inline script and style only; nothing may be fetched or framed. */
const CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; frame-src 'none'; form-action 'none'; base-uri 'none'";

/**
 * ext-apps and the SDK import zod's whole `z` namespace, which carries every message
 * locale (about 260 KB minified) beyond reach of tree shaking. Views need English
 * validation messages at most (they are never shown), so the locale index keeps `en` only.
 */
const zodEnglishOnly: Plugin = {
  name: "zod-english-only",
  setup(b) {
    b.onResolve({ filter: /locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer)
        ? {
            path: path.join(path.dirname(args.importer), "..", "locales", "en.js"),
            namespace: "zod-en",
          }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "zod-en" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: path.dirname(args.path),
    }));
  },
};

/** One browser script, minified, every import inlined, safe inside a <script> element. */
export async function bundleScript(entry: string): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    minify: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    charset: "utf8",
    legalComments: "none",
    logLevel: "silent",
    plugins: [zodEnglishOnly],
  });
  return out.outputFiles[0]!.text.replace(/<\/(script)/gi, "<\\/$1");
}

export async function buildView(tool: ViewTool): Promise<string> {
  const { dir, title } = VIEWS[tool];
  const js = await bundleScript(path.join(APPS, dir, "view.ts"));
  const css = readFileSync(path.join(APPS, "shared", "base.css"), "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\s*\n\s*/g, "\n")
    .trim();
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    `<style>\n${css}\n</style>`,
    "</head>",
    "<body>",
    '<div id="root"></div>',
    `<script>${js}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

export const distFile = (tool: ViewTool) => path.join(DIST, `${tool}.html`);

async function main(): Promise<void> {
  const check = process.argv.includes("--check");
  let stale = false;
  mkdirSync(DIST, { recursive: true });
  for (const tool of Object.keys(VIEWS) as ViewTool[]) {
    const html = await buildView(tool);
    const file = distFile(tool);
    const kb = (Buffer.byteLength(html) / 1024).toFixed(1);
    if (check) {
      let current = "";
      try {
        current = readFileSync(file, "utf8");
      } catch {
        // missing counts as stale
      }
      if (current !== html) stale = true;
      console.log(
        `${current === html ? "up to date" : "STALE"}  ${path.relative(process.cwd(), file)}`,
      );
    } else {
      writeFileSync(file, html);
      console.log(`${path.relative(process.cwd(), file)}  ${kb} KiB`);
    }
  }
  if (stale) {
    console.error(
      "built views differ from their sources: run npm run build:apps and commit apps/dist",
    );
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  await main();
