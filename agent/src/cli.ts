/**
 * `npm run agent -- "question"`: the agent's command line, and its only I/O.
 *
 *   npm run agent -- "Найди все критические тикеты по безопасности со статусом open"
 *   npm run agent                      interactive (history, /exit, Ctrl-C or Ctrl-D)
 *   npm run agent -- --json "..."      one JSON object: answer, model, tool calls
 */
import { existsSync } from "node:fs";
import type { BaseMessage } from "@langchain/core/messages";
import { AgentConfigError, DEFAULT_CONFIG_PATH, loadServersConfig } from "./config.js";
import type { ToolCallRecord } from "./mcpClient.js";
import { Progress } from "./progress.js";

const USAGE = `Usage: npm run agent -- [options] [question]

Asks the ticket agent one question, or opens an interactive prompt when no question
is given (/exit, Ctrl-C or Ctrl-D to leave).

Options:
  --config FILE   servers config in the seed's format (default: $MCP_SERVERS_CONFIG or ${DEFAULT_CONFIG_PATH})
  --json          print one JSON object: question, answer, model, tool calls
  --verbose, -v   print every tool call with its arguments and timing (stderr)
  --offline       use the built-in offline model even when OPENAI_API_KEY is set
  --help, -h      show this help

Environment:
  OPENAI_API_KEY    use an OpenAI model (else the offline rule-based model)
  OPENAI_MODEL      model name (default gpt-4o-mini)
  OPENAI_BASE_URL   an OpenAI-compatible server (Ollama, vLLM, LM Studio...)
  MCP_SERVER_URL    override the "tickets-http" server's URL
  MCP_SERVERS_CONFIG  servers config file

Examples:
  npm run agent -- "Найди все тикеты пользователя user123"
  npm run agent -- --json "How many open tickets are there by priority?"
`;

interface Args {
  question: string;
  config?: string;
  json: boolean;
  verbose: boolean;
  offline: boolean;
  help: boolean;
}

export function parseArgs(argv: string[]): Args {
  const args: Args = { question: "", json: false, verbose: false, offline: false, help: false };
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--json") args.json = true;
    else if (a === "--verbose" || a === "-v") args.verbose = true;
    else if (a === "--offline") args.offline = true;
    else if (a === "--help" || a === "-h") args.help = true;
    else if (a === "--config") {
      const value = argv[++i];
      if (!value)
        throw new AgentConfigError("--config needs a file, e.g. --config agent/servers.json");
      args.config = value;
    } else if (a.startsWith("--config=")) args.config = a.slice("--config=".length);
    else if (a === "--") continue;
    else if (a.startsWith("--")) throw new AgentConfigError(`Unknown option ${a}; see --help.`);
    else words.push(a);
  }
  args.question = words.join(" ").trim();
  return args;
}

function formatCall(r: ToolCallRecord): string {
  const status = r.ok ? `${r.resultChars} chars` : "error";
  return `${r.server}/${r.tool} ${JSON.stringify(r.args)} -> ${status}, ${r.ms} ms`;
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  // .env may hold OPENAI_API_KEY and friends; variables already set win.
  if (existsSync(".env")) process.loadEnvFile(".env");
  const { servers } = loadServersConfig({ path: args.config });
  // Loaded once --help is out of the way: LangChain and the MCP client are most of a start.
  const [{ ask, buildAgent }, { connectServers }, { selectModel }, { offlineBanner }] =
    await Promise.all([
      import("./agent.js"),
      import("./mcpClient.js"),
      import("./models.js"),
      import("./offline/index.js"),
    ]);
  const choice = await selectModel(process.env, { offline: args.offline });
  if (choice.offline && !args.json) process.stderr.write(`${offlineBanner()}\n`);

  const calls: ToolCallRecord[] = [];
  const progress = new Progress(process.stderr, !args.json && process.stderr.isTTY === true);
  const connected = await connectServers(servers, {
    onToolStart: (c) => progress.update(`${c.server}/${c.tool} ${JSON.stringify(c.args)}`),
    onToolEnd: (record) => {
      calls.push(record);
      if (args.verbose) progress.log(`  tool ${formatCall(record)}`, true);
      else progress.log(`  → ${record.tool} ${JSON.stringify(record.args)}`);
    },
  });
  try {
    const agent = buildAgent(choice.model, connected.tools);
    const once = async (question: string, history: BaseMessage[]) => {
      const started = performance.now();
      progress.start("thinking");
      try {
        const result = await ask(agent, question, history, {
          onStep: (messages) => connected.settle(messages),
        });
        return { ...result, ms: Math.round(performance.now() - started) };
      } finally {
        progress.stop();
      }
    };

    if (args.question) {
      const result = await once(args.question, []);
      if (args.json) {
        const out = {
          question: args.question,
          answer: result.answer,
          model: choice.name,
          offline: choice.offline,
          tool_calls: calls.map((c) => ({
            server: c.server,
            tool: c.tool,
            arguments: c.args,
            ok: c.ok,
            result_chars: c.resultChars,
            ms: c.ms,
          })),
          ms: result.ms,
        };
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      } else {
        process.stdout.write(`${result.answer}\n`);
      }
      return 0;
    }
    return await repl(once);
  } finally {
    await connected.close();
  }
}

async function repl(
  once: (q: string, history: BaseMessage[]) => Promise<{ answer: string; messages: BaseMessage[] }>,
): Promise<number> {
  const interactive = process.stdin.isTTY === true;
  const { createInterface } = await import("node:readline");
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: interactive,
    historySize: 200,
    prompt: "ticket> ",
  });
  if (interactive)
    process.stdout.write(
      "Ask about support tickets (Russian or English). /help for examples, /exit to leave.\n",
    );
  let history: BaseMessage[] = [];
  rl.on("SIGINT", () => rl.close());
  rl.prompt();
  for await (const line of rl) {
    const question = line.trim();
    if (question === "/exit" || question === "/quit") break;
    if (question === "/help") {
      process.stdout.write(
        'Ask about tickets in Russian or English, e.g. "open critical security tickets",\n' +
          '"Найди все тикеты пользователя user123", "how many tickets by status?", "ticket TKT-0007".\n' +
          "/exit or Ctrl-D leaves.\n\n",
      );
      rl.prompt();
      continue;
    }
    if (question !== "") {
      let result: { answer: string; messages: BaseMessage[] };
      try {
        result = await once(question, history);
      } catch (err) {
        // One failed question (the server went away, the model timed out) is reported,
        // and the session goes on.
        process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n\n`);
        rl.prompt();
        continue;
      }
      // Keep the conversation, not the tool traffic: questions and final answers.
      history = result.messages
        .filter((m) => m.getType() === "human" || (m.getType() === "ai" && !hasToolCalls(m)))
        .slice(-10);
      process.stdout.write(`${result.answer}\n\n`);
    }
    rl.prompt();
  }
  rl.close();
  return 0;
}

function hasToolCalls(m: BaseMessage): boolean {
  return ((m as { tool_calls?: unknown[] }).tool_calls ?? []).length > 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // (By name: mcpClient.js, where ServerUnreachableError lives, is loaded lazily.)
    const known = err instanceof Error && err.name === "ServerUnreachableError";
    if (err instanceof AgentConfigError || known) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`agent failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
