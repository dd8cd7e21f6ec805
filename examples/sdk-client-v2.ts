/**
 * The MCP TypeScript SDK v2's `Client` (package `@modelcontextprotocol/client`), the
 * twin of sdk-client.ts (which stays on v1, the SDK LangChain's adapters are built on).
 * It shows protocol-version negotiation: with `versionNegotiation: { mode: 'auto' }`
 * `connect()` first probes with `server/discover`; a 2026-07-28 server answers and the
 * client speaks the modern era (no `initialize`, a `_meta` envelope on every request,
 * `ttlMs`/`cacheScope` on list results), a 2025-only server does not and the client
 * falls back to the `initialize` handshake. Either way the code after connect() is
 * the same.
 *
 *   npx tsx examples/sdk-client-v2.ts [URL]
 *
 * URL: the first argument, else $MCP_SERVER_URL, else http://localhost:8000/mcp (the
 * ticket server, `npm start`). The weather example speaks 2026-07-28 today:
 *   npx tsx examples/weather-server/server.ts &
 *   npx tsx examples/sdk-client-v2.ts http://127.0.0.1:9000/mcp
 *
 * Steps: connect and report the era; page through tools/list with its cursor, checking
 * every tool sets all four annotations; then what the server is for: on the ticket
 * server the seed's search and paging through every ticket with `next_cursor`, on the
 * weather server a forecast and an unknown city. Each step checks what came back; the
 * first wrong answer ends the run with exit code 1. The session, if the server opened
 * one, is ended (DELETE) whatever happens.
 */
import {
  Client,
  StreamableHTTPClientTransport,
  type CallToolResult,
  type Tool,
} from "@modelcontextprotocol/client";

const DEFAULT_URL = "http://localhost:8000/mcp";
const HINTS = ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`check failed: ${message}`);
}

/** Calls a tool that must succeed and returns its structured result. */
async function callOk<T>(client: Client, name: string, args: Record<string, unknown>): Promise<T> {
  const result: CallToolResult = await client.callTool({ name, arguments: args });
  const text = result.content.find((c) => c.type === "text")?.text ?? "";
  check(!result.isError, `${name} ${JSON.stringify(args)} failed: ${text}`);
  check(result.structuredContent, `${name} returned no structuredContent`);
  return result.structuredContent as T;
}

/** tools/list one page at a time, following nextCursor to the end. */
async function listAllTools(client: Client): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await client.listTools(cursor === undefined ? {} : { cursor });
    pages += 1;
    tools.push(...page.tools);
    cursor = page.nextCursor;
    check(pages <= 100, "tools/list nextCursor never ends");
    // 2026-07-28 list results say how long they may be cached, and by whom.
    const cache =
      page.ttlMs === undefined ? "" : `, cache ${page.ttlMs} ms ${page.cacheScope ?? ""}`;
    console.log(`   page ${pages}: ${page.tools.length} tools${cache}`);
  } while (cursor);
  const names = tools.map((t) => t.name);
  check(new Set(names).size === names.length, `a tool came back twice: ${names.join(", ")}`);
  return tools;
}

interface SearchResult {
  total: number;
  tickets: { ticket_id: string; status: string; priority: string; category: string }[];
  next_cursor?: string;
}

/** The ticket server: the seed's search, then every ticket page by page via next_cursor. */
async function ticketSteps(client: Client): Promise<string> {
  const seed = { status: "open", priority: "critical", category: "security" };
  const found = await callOk<SearchResult>(client, "search_tickets", seed);
  console.log(`\n3. search_tickets ${JSON.stringify(seed)}: ${found.total} found`);
  for (const t of found.tickets) console.log(`   ${t.ticket_id}`);
  check(found.total > 0, "no open critical security ticket");
  check(
    found.tickets.every((t) =>
      Object.entries(seed).every(([k, v]) => t[k as keyof typeof t] === v),
    ),
    "a ticket does not match the filters",
  );

  const seen = new Set<string>();
  let cursor: string | undefined;
  let pages = 0;
  let total: number | undefined;
  console.log("\n4. every ticket, 20 a page, following next_cursor:");
  do {
    const page = await callOk<SearchResult>(client, "search_tickets", {
      limit: 20,
      ...(cursor ? { cursor } : {}),
    });
    pages += 1;
    total = page.total;
    for (const t of page.tickets) {
      check(!seen.has(t.ticket_id), `${t.ticket_id} came back on two pages`);
      seen.add(t.ticket_id);
    }
    console.log(`   page ${pages}: ${page.tickets.length} tickets`);
    cursor = page.next_cursor;
    check(pages <= 1000, "next_cursor never ends");
  } while (cursor);
  check(seen.size === total, `the pages held ${seen.size} tickets, the total says ${total}`);
  console.log(`   ${seen.size} tickets in ${pages} pages, none twice, none missing`);
  return "search and paging";
}

/** The weather example server: a forecast, and an unknown city as an isError result. */
async function weatherSteps(client: Client): Promise<string> {
  const data = await callOk<{ city: { name: string }; days: { date: string }[]; demo_data: true }>(
    client,
    "get_forecast",
    { city: "Москва", days: 3 },
  );
  console.log(`\n3. get_forecast Москва, 3 days: ${data.city.name}, ${data.days.length} days`);
  for (const d of data.days) console.log(`   ${d.date}`);
  check(data.city.name === "Moscow", `Москва is ${data.city.name}`);
  check(data.days.length === 3, `asked for 3 days, got ${data.days.length}`);
  check(data.demo_data === true, "the forecast does not say it is demo data");

  const unknown = await client.callTool({
    name: "get_current_weather",
    arguments: { city: "Atlantis" },
  });
  const text = unknown.content.find((c) => c.type === "text")?.text ?? "";
  console.log(`\n4. get_current_weather Atlantis: ${text.slice(0, 70)}…`);
  check(unknown.isError === true, "an unknown city is not an error");
  check(text.includes("Moscow"), "the error does not list the known cities");
  return "forecast and errors";
}

async function main(url: string): Promise<void> {
  const client = new Client(
    { name: "sdk-client-v2-example", version: "1.0.0" },
    { versionNegotiation: { mode: "auto" } },
  );
  // With authentication on (README, "Production"), MCP_TOKEN is sent as a bearer token.
  const token = process.env.MCP_TOKEN;
  const transport = new StreamableHTTPClientTransport(
    new URL(url),
    token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : undefined,
  );
  try {
    await client.connect(transport);
    const era = client.getProtocolEra();
    const server = client.getServerVersion();
    console.log(`Connected to ${server?.name} ${server?.version} at ${url}`);
    console.log(
      `1. era ${era}, protocol ${client.getNegotiatedProtocolVersion()}: ` +
        (era === "modern"
          ? "server/discover answered, no initialize, no session"
          : `server/discover unanswered, fell back to initialize (session ${transport.sessionId ?? "none"})`),
    );
    check(era === "modern" || era === "legacy", `unknown era ${String(era)}`);
    check(
      (era === "modern") === (client.getDiscoverResult() !== undefined),
      "the era and the discovery result disagree",
    );

    console.log("\n2. tools/list, page by page:");
    const tools = await listAllTools(client);
    for (const tool of tools) {
      const unset = HINTS.filter((h) => typeof tool.annotations?.[h] !== "boolean");
      check(unset.length === 0, `${tool.name} leaves ${unset.join(", ")} unset`);
      const kind = tool.annotations?.readOnlyHint ? "read-only" : "writes";
      console.log(`   ${tool.name} (${kind}): ${tool.title ?? tool.description}`);
    }
    const has = (name: string) => tools.some((t) => t.name === name);
    const done = has("search_tickets")
      ? await ticketSteps(client)
      : has("get_forecast")
        ? await weatherSteps(client)
        : undefined;
    check(
      done,
      `neither the ticket server (search_tickets) nor the weather example (get_forecast) at ${url}`,
    );
    console.log(`\nOK: ${era} era, tools with all annotations, ${done} as expected.`);
  } finally {
    // Ends the session (HTTP DELETE) if the server opened one; a no-op otherwise.
    await transport.terminateSession().catch(() => undefined);
    await client.close();
  }
}

const url = process.argv[2] ?? process.env.MCP_SERVER_URL ?? DEFAULT_URL;
main(url).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`sdk-client-v2: ${message}`);
  if (/fetch failed|ECONNREFUSED/.test(message)) {
    console.error(`Is the server running at ${url}? Start it with: npm start`);
  }
  process.exitCode = 1;
});
