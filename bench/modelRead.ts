/**
 * What the model reads for the seed's three example questions: the search_tickets text,
 * as the real tool returns it (in-process MCP client and server), beside the same
 * results as pretty-printed JSON (what a tool that dumps its rows would send). Tokens
 * are estimated as characters / 4, the usual rule of thumb for English; Cyrillic and
 * JSON punctuation cost more per character, so read them as a lower bound.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { pino } from "pino";
import { buildMcpServer } from "../server/src/mcp/buildServer.js";
import type { TicketStore } from "../server/src/tickets/store.js";

/** The seed's questions, and the arguments the agent's model gives search_tickets. */
export const SEED_QUERIES = [
  {
    question: "Найди все критические тикеты по безопасности со статусом open",
    args: { status: "open", priority: "critical", category: "security", limit: 100 },
  },
  { question: "Найди все тикеты пользователя user123", args: { user_id: "user123", limit: 100 } },
  {
    question: "Покажи высокоприоритетные проблемы с оплатой, которые еще открыты",
    args: { status: "open", priority: "high", category: "billing" },
  },
];

export interface ModelRead {
  question: string;
  args: Record<string, unknown>;
  tickets: number;
  text: { bytes: number; tokens: number };
  prettyJson: { bytes: number; tokens: number };
}

const size = (s: string) => ({
  bytes: Buffer.byteLength(s),
  tokens: Math.round(s.length / 4),
});

export async function measureModelRead(store: TicketStore): Promise<ModelRead[]> {
  const server = buildMcpServer({ store, logger: pino({ level: "silent" }) });
  const client = new Client({ name: "bench", version: "1" });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(a), client.connect(b)]);
  try {
    const out: ModelRead[] = [];
    for (const { question, args } of SEED_QUERIES) {
      const result = await client.callTool({ name: "search_tickets", arguments: args });
      const text = (result.content as { type: string; text: string }[])[0]!.text;
      const structured = result.structuredContent as { tickets: unknown[] };
      out.push({
        question,
        args,
        tickets: structured.tickets.length,
        text: size(text),
        prettyJson: size(JSON.stringify(structured.tickets, null, 2)),
      });
    }
    return out;
  } finally {
    await client.close();
    await server.close();
  }
}
