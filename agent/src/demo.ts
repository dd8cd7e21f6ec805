/**
 * `npm run demo`: the seed's three example questions, end to end, in one command.
 * Starts the ticket server in-process on a free port, connects the agent to it over
 * Streamable HTTP, and prints each question, the tool call the model made and the answer.
 * Offline with no OPENAI_API_KEY; with a key, the same run uses the real model.
 * At the end the agent ends its session (DELETE), and the demo checks that the server
 * has no session left open (exit 1 if it has).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { loadConfig } from "../../server/src/config.js";
import { createApp } from "../../server/src/http/app.js";
import { loadMemoryStore } from "../../server/src/sources/loadStore.js";
import { ask, buildAgent } from "./agent.js";
import { connectServers, type ToolCallRecord } from "./mcpClient.js";
import { selectModel } from "./models.js";
import { offlineBanner } from "./offline/index.js";

/** The seed README's examples, in its words. */
export const SEED_QUESTIONS = [
  "Найди все критические тикеты по безопасности со статусом open",
  "Найди все тикеты пользователя user123",
  "Покажи высокоприоритетные проблемы с оплатой, которые еще открыты",
];

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, PORT: "0", HOST: "127.0.0.1" });
  const store = await loadMemoryStore(config.TICKETS_FILE);
  const mcp = createApp({ config, store, logger: pino({ level: "warn" }) });
  const http = createServer(mcp.app);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;

  const choice = await selectModel();
  if (choice.offline) console.log(`${offlineBanner(["tickets-http"])}\n`);
  console.log(
    `Ticket server: ${url} (${(await store.info()).count} tickets); model: ${choice.name}\n`,
  );

  const calls: ToolCallRecord[] = [];
  const servers = await connectServers(
    { "tickets-http": { transport: "http", url } },
    { onToolEnd: (r) => calls.push(r) },
  );
  try {
    const agent = buildAgent(choice.model, servers.tools);
    for (const [i, question] of SEED_QUESTIONS.entries()) {
      calls.length = 0;
      const { answer } = await ask(agent, question, [], {
        onStep: (messages) => servers.settle(messages),
      });
      console.log(`── ${i + 1}. ${question}`);
      for (const c of calls) {
        console.log(
          `   tool: ${c.server}/${c.tool} ${JSON.stringify(c.args)} (${c.ms} ms${c.ok ? "" : ", failed"})`,
        );
      }
      console.log(`${answer}\n`);
    }
    await servers.close();
    const open = mcp.sessions.size;
    console.log(`Sessions left open on the ticket server: ${open}`);
    if (open !== 0) throw new Error(`${open} session(s) were not ended`);
  } finally {
    await servers.close();
    await mcp.close();
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }
}

main().catch((err: unknown) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
