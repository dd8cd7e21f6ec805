/**
 * MCP Apps (the io.modelcontextprotocol/ui extension): the ui:// views of search_tickets
 * and ticket_stats. Each tool names its view in `_meta.ui.resourceUri` (appMeta); the
 * view is a resource of MIME type text/html;profile=mcp-app holding one self-contained
 * HTML file built from apps/ (npm run build:apps). Its CSP metadata allows no remote
 * origin at all: the view talks only to its host, over postMessage. Hosts without Apps
 * ignore both, and the tools' text content is unchanged.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { RESOURCE_MIME_TYPE, registerAppResource } from "@modelcontextprotocol/ext-apps/server";
import type { McpServer } from "@modelcontextprotocol/server";

export const VIEWS = {
  search_tickets: {
    uri: "ui://mcp-tickets/search_tickets.html",
    title: "Ticket list view",
    description:
      "Interactive table of search_tickets results: sorting, filter chips, paging, details.",
  },
  ticket_stats: {
    uri: "ui://mcp-tickets/ticket_stats.html",
    title: "Ticket counts view",
    description: "Bar chart of ticket_stats counts; a bar opens the matching tickets.",
  },
} as const;
export type ViewTool = keyof typeof VIEWS;

/** No connect, resource or frame domains: the view may reach nothing but its host. */
const UI_RESOURCE_META = {
  ui: { csp: { connectDomains: [], resourceDomains: [], frameDomains: [] }, prefersBorder: true },
};

/** The `_meta` a tool carries to name its view. */
export function appMeta(tool: ViewTool): { ui: { resourceUri: string } } {
  return { ui: { resourceUri: VIEWS[tool].uri } };
}

/** apps/dist, found upwards from this file, so a compiled copy of the server finds it too. */
function distDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, "apps", "dist");
    if (existsSync(path.join(candidate, "search_tickets.html"))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("apps/dist/*.html not found: run npm run build:apps");
    dir = parent;
  }
}

const cache = new Map<ViewTool, string>();
/** A view's HTML, read once per process. */
export function viewHtml(tool: ViewTool): string {
  let html = cache.get(tool);
  if (html === undefined) {
    html = readFileSync(path.join(distDir(), `${tool}.html`), "utf8");
    cache.set(tool, html);
  }
  return html;
}

export function registerAppResources(server: McpServer): void {
  for (const tool of Object.keys(VIEWS) as ViewTool[]) {
    const { uri, title, description } = VIEWS[tool];
    registerAppResource(
      server,
      `${tool}_view`,
      uri,
      { title, description, mimeType: RESOURCE_MIME_TYPE, _meta: UI_RESOURCE_META },
      () => ({
        contents: [
          { uri, mimeType: RESOURCE_MIME_TYPE, text: viewHtml(tool), _meta: UI_RESOURCE_META },
        ],
      }),
    );
  }
}
