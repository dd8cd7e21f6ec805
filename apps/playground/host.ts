/**
 * The playground's host page (runs in the browser): an MCP client of the ticket server
 * (through the playground's same-origin /mcp pipe), and an MCP Apps host exactly as a
 * chat client is one: it calls the tool, reads the ui:// resource the tool names, puts
 * the HTML in a sandboxed frame and connects ext-apps' AppBridge to it over
 * postMessage. The view's own tool calls go through the bridge to this client.
 */
import {
  Client,
  StreamableHTTPClientTransport,
  type CallToolResult,
  type Tool,
} from "@modelcontextprotocol/client";
import {
  AppBridge,
  PostMessageTransport,
  getToolUiResourceUri,
  type McpUiHostContext,
  type McpUiStyles,
} from "@modelcontextprotocol/ext-apps/app-bridge";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>("run");
const toolSelect = $<HTMLSelectElement>("tool");
const argsInput = $<HTMLTextAreaElement>("args");
const themeSelect = $<HTMLSelectElement>("theme");
const localeSelect = $<HTMLSelectElement>("locale");
const widthSelect = $<HTMLSelectElement>("width");
const status = $<HTMLElement>("status");
const textOut = $<HTMLElement>("text");
const frameBox = $<HTMLElement>("frame");

/** What a host sends as style variables; the views fall back to their own without them. */
const STYLES: Record<"light" | "dark", McpUiStyles> = {
  light: {
    "--color-background-primary": "#ffffff",
    "--color-background-secondary": "#f3f4f6",
    "--color-text-primary": "#111827",
    "--color-text-secondary": "#4b5563",
    "--color-border-primary": "#d1d5db",
    "--color-text-info": "#1d4ed8",
    "--color-background-info": "#3b82f6",
  } as McpUiStyles,
  dark: {
    "--color-background-primary": "#18181b",
    "--color-background-secondary": "#27272a",
    "--color-text-primary": "#f4f4f5",
    "--color-text-secondary": "#a1a1aa",
    "--color-border-primary": "#3f3f46",
    "--color-text-info": "#93c5fd",
    "--color-background-info": "#60a5fa",
  } as McpUiStyles,
};

let client: Client | undefined;
let tools: Tool[] = [];
let bridge: AppBridge | undefined;
let runs = 0;

function hostContext(): McpUiHostContext {
  const theme = themeSelect.value === "dark" ? "dark" : "light";
  document.documentElement.dataset.theme = theme;
  const width = widthSelect.value === "narrow" ? 360 : frameBox.clientWidth || 800;
  frameBox.style.width = widthSelect.value === "narrow" ? "360px" : "";
  return {
    theme,
    locale: localeSelect.value,
    styles: { variables: STYLES[theme] },
    displayMode: "inline",
    availableDisplayModes: ["inline"],
    platform: "web",
    containerDimensions: { width, maxHeight: 2000 },
  };
}

async function connect(): Promise<Client> {
  if (client) return client;
  const c = new Client({ name: "mcp-tickets-playground", version: "1.0.0" });
  await c.connect(new StreamableHTTPClientTransport(new URL("/mcp", location.href)));
  tools = (await c.listTools()).tools;
  client = c;
  return c;
}

function setStatus(text: string, state: "busy" | "ready" | "error"): void {
  status.textContent = text;
  status.dataset.state = state;
}

async function run(): Promise<void> {
  setStatus("calling…", "busy");
  const c = await connect();
  const name = toolSelect.value;
  const args = argsInput.value.trim()
    ? (JSON.parse(argsInput.value) as Record<string, unknown>)
    : {};
  const result = (await c.callTool({ name, arguments: args })) as CallToolResult;
  textOut.textContent = result.content
    .map((part) => (part.type === "text" ? part.text : `[${part.type}]`))
    .join("\n");

  const tool = tools.find((t) => t.name === name);
  const uri = tool ? getToolUiResourceUri(tool) : undefined;
  await bridge?.teardownResource({}).catch(() => undefined);
  await bridge?.close();
  frameBox.replaceChildren();
  bridge = undefined;
  if (!uri) {
    setStatus(`${name}: no view (text only)`, "ready");
    frameBox.dataset.run = String(++runs);
    return;
  }
  const resource = await c.readResource({ uri });
  const content = resource.contents[0];
  const html = content && "text" in content ? content.text : "";

  const iframe = document.createElement("iframe");
  iframe.title = `${name} view`;
  // As hosts do: scripts run, but the frame has an opaque origin (no same-origin access).
  iframe.setAttribute("sandbox", "allow-scripts");
  iframe.style.height = "120px";
  frameBox.append(iframe);

  const b = new AppBridge(
    c,
    { name: "mcp-tickets playground", version: "1.0.0" },
    { openLinks: {}, serverTools: {}, serverResources: {}, logging: {} },
    { hostContext: hostContext() },
  );
  b.onsizechange = ({ height }) => {
    if (height !== undefined) iframe.style.height = `${Math.ceil(height)}px`;
  };
  const initialized = new Promise<void>((resolve) => {
    b.oninitialized = () => resolve();
  });
  await b.connect(new PostMessageTransport(iframe.contentWindow!, iframe.contentWindow!));
  bridge = b;
  iframe.srcdoc = html;
  await initialized;
  await b.sendToolInput({ arguments: args });
  await b.sendToolResult(result);
  setStatus(`${name}: view ready`, "ready");
  // Tests wait for this to change: one more view is on screen.
  frameBox.dataset.run = String(++runs);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  run().catch((err: Error) => setStatus(err.message, "error"));
});
for (const select of [themeSelect, localeSelect, widthSelect]) {
  select.addEventListener("change", () => bridge?.setHostContext(hostContext()));
}
toolSelect.addEventListener("change", () => {
  argsInput.value =
    toolSelect.value === "ticket_stats" ? '{"group_by": "priority"}' : '{"status": "open"}';
});
hostContext();
setStatus("ready", "ready");
