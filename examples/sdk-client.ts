/**
 * The plain MCP TypeScript SDK as a client of the ticket server, no LangChain and no
 * model: what an application does when it calls the tools itself. This is SDK v1
 * (`@modelcontextprotocol/sdk`), the one LangChain's MCP adapters are built on: it
 * speaks the 2025 revision (initialize, a session). sdk-client-v2.ts is its v2 twin,
 * which negotiates 2026-07-28 when the server offers it.
 *
 *   npx tsx examples/sdk-client.ts [URL]      (npm start first, in another terminal)
 *
 * URL: the first argument, else $MCP_SERVER_URL, else http://localhost:8000/mcp. It
 * connects with `Client` + `StreamableHTTPClientTransport` (the SDK does the headers,
 * the session id and the SSE decoding that examples/curl/mcp-session.sh does by hand),
 * then: lists the tools, runs the seed's example search, pages through every ticket
 * with `next_cursor`, reads a ticket as a `ticket://` resource, and completes a ticket
 * id. Each step checks what came back; the first wrong answer stops the run with exit
 * code 1. The session is closed (DELETE) whatever happens.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

const DEFAULT_URL = "http://localhost:8000/mcp";

/** What search_tickets puts in structuredContent (its outputSchema, abridged). */
interface SearchResult {
  total: number;
  tickets: {
    ticket_id: string;
    title: string;
    status: string;
    priority: string;
    category: string;
  }[];
  next_cursor?: string;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`check failed: ${message}`);
}

/** Calls search_tickets and returns its structured result (the SDK has already
 * validated it against the tool's outputSchema). */
async function searchTickets(client: Client, args: Record<string, unknown>): Promise<SearchResult> {
  const result = (await client.callTool({
    name: "search_tickets",
    arguments: args,
  })) as CallToolResult;
  const text = result.content.find((c) => c.type === "text")?.text ?? "";
  check(!result.isError, `search_tickets ${JSON.stringify(args)} failed: ${text}`);
  check(result.structuredContent, "search_tickets returned no structuredContent");
  return result.structuredContent as unknown as SearchResult;
}

async function main(url: string): Promise<void> {
  const client = new Client({ name: "sdk-client-example", version: "1.0.0" });
  // With authentication on (README, "Production"), MCP_TOKEN is sent as a bearer token.
  const token = process.env.MCP_TOKEN;
  const transport = new StreamableHTTPClientTransport(
    new URL(url),
    token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : undefined,
  );
  try {
    await client.connect(transport);
    const server = client.getServerVersion();
    console.log(`Connected to ${server?.name} ${server?.version} at ${url}`);
    console.log(`  session ${transport.sessionId}, protocol ${transport.protocolVersion}`);

    // 1. The tools, as a model would see them.
    const { tools } = await client.listTools();
    console.log(`\n1. tools/list: ${tools.length} tools`);
    for (const tool of tools) {
      const readOnly = tool.annotations?.readOnlyHint ? "read-only" : "writes";
      console.log(`   ${tool.name} (${readOnly}): ${tool.title ?? tool.description}`);
    }
    for (const name of ["search_tickets", "get_ticket", "ticket_stats"]) {
      check(
        tools.some((t) => t.name === name),
        `tools/list has no ${name}`,
      );
    }

    // 2. The seed's example: what the agent calls for "critical open security tickets".
    const seedFilters = { status: "open", priority: "critical", category: "security" };
    const found = await searchTickets(client, seedFilters);
    console.log(`\n2. search_tickets ${JSON.stringify(seedFilters)}: ${found.total} found`);
    for (const t of found.tickets) console.log(`   ${t.ticket_id} ${t.title}`);
    check(found.total > 0, "no open critical security ticket");
    check(
      found.tickets.every(
        (t) => t.status === "open" && t.priority === "critical" && t.category === "security",
      ),
      "a ticket does not match the filters",
    );

    // 3. Paging: follow next_cursor until it is absent. The order is total, so the pages
    //    together hold every ticket exactly once.
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    let total = 0;
    do {
      const page = await searchTickets(client, { limit: 20, ...(cursor ? { cursor } : {}) });
      pages += 1;
      total = page.total;
      for (const t of page.tickets) {
        check(!seen.has(t.ticket_id), `${t.ticket_id} came back on two pages`);
        seen.add(t.ticket_id);
      }
      console.log(
        `${pages === 1 ? "\n3. paging with limit 20:\n" : ""}   page ${pages}: ${page.tickets.length} tickets` +
          (page.next_cursor
            ? `, next_cursor …${page.next_cursor.slice(-12)}`
            : ", no next_cursor: done"),
      );
      cursor = page.next_cursor;
      check(pages <= 1000, "next_cursor never ends");
    } while (cursor);
    check(seen.size === total, `the pages held ${seen.size} tickets, the total says ${total}`);
    console.log(`   ${seen.size} tickets in ${pages} pages, none twice, none missing`);

    // 4. A ticket as a resource: the template ticket://{ticket_id}.
    const { resourceTemplates } = await client.listResourceTemplates();
    check(
      resourceTemplates.some((t) => t.uriTemplate === "ticket://{ticket_id}"),
      "no ticket://{ticket_id} resource template",
    );
    const id = found.tickets[0]!.ticket_id;
    const { contents } = await client.readResource({ uri: `ticket://${id}` });
    const body = contents[0] && "text" in contents[0] ? contents[0].text : "";
    console.log(`\n4. resources/read ticket://${id} (${contents[0]?.mimeType}):`);
    console.log(body.replace(/^(?=.)/gm, "   "));
    check(body.includes(id), `ticket://${id} does not mention ${id}`);

    // 5. Completion: the ids a client offers while the user types "TKT-000".
    const { completion } = await client.complete({
      ref: { type: "ref/resource", uri: "ticket://{ticket_id}" },
      argument: { name: "ticket_id", value: "TKT-000" },
    });
    console.log(`\n5. completion/complete ticket_id "TKT-000": ${completion.values.join(", ")}`);
    check(completion.values.length > 0, "no completions for TKT-000");
    check(
      completion.values.every((v) => v.startsWith("TKT-000")),
      "a completion does not start with TKT-000",
    );

    console.log("\nOK: tools, search, paging, resources and completion all answered as expected.");
  } finally {
    // End the session on the server (HTTP DELETE), then close the transport.
    await transport.terminateSession().catch(() => undefined);
    await client.close();
  }
}

const url = process.argv[2] ?? process.env.MCP_SERVER_URL ?? DEFAULT_URL;
main(url).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`sdk-client: ${message}`);
  if (/fetch failed|ECONNREFUSED/.test(message)) {
    console.error(`Is the server running at ${url}? Start it with: npm start`);
  }
  process.exitCode = 1;
});
