/**
 * `npm run agent -- "question"`: the agent's command line, and its only I/O.
 *
 *   npm run agent -- "Найди все критические тикеты по безопасности со статусом open"
 *   npm run agent                      interactive (history, /exit, Ctrl-C or Ctrl-D)
 *   npm run agent -- --json "..."      one JSON object: answer, model, tool calls
 *   ... | npm run agent -- --json      piped questions: one JSON object a line
 *
 * Every HTTP session it opened is ended (DELETE) on the way out: after the answer, an
 * error, Ctrl-C or the end of the prompt.
 */
import { existsSync } from "node:fs";
import type { BaseMessage } from "@langchain/core/messages";
import { AgentConfigError, DEFAULT_CONFIG_PATH, loadServersConfig } from "./config.js";
import type { ToolCallRecord } from "./mcpClient.js";
import type { ModelChoice } from "./models.js";
import { Progress } from "./progress.js";

const USAGE = `Usage: npm run agent -- [options] [question]

Asks the ticket agent one question, or opens an interactive prompt when no question
is given (/exit, Ctrl-C or Ctrl-D to leave). In the prompt a follow-up ("only the
closed ones", "а какие из них критические?") refines the previous question.

Options:
  --config FILE   servers config in the seed's format (default: $MCP_SERVERS_CONFIG or ${DEFAULT_CONFIG_PATH})
  --json          JSON on stdout: one object (question, answer, model, tool calls) per
                  question; in the prompt one a line (JSON Lines), for piped questions
  --verbose, -v   print every tool call with its arguments and timing (stderr)
  --quiet, -q     no offline-mode notice on stderr
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
  printf 'open tickets\\nonly the billing ones\\n' | npm run agent -- --json
`;

interface Args {
  question: string;
  config?: string;
  json: boolean;
  verbose: boolean;
  quiet: boolean;
  offline: boolean;
  help: boolean;
}

export function parseArgs(argv: string[]): Args {
  const args: Args = {
    question: "",
    json: false,
    verbose: false,
    quiet: false,
    offline: false,
    help: false,
  };
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--json") args.json = true;
    else if (a === "--verbose" || a === "-v") args.verbose = true;
    else if (a === "--quiet" || a === "-q") args.quiet = true;
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

interface Answered {
  question: string;
  answer: string;
  messages: BaseMessage[];
  calls: ToolCallRecord[];
  ms: number;
}

type AskOnce = (question: string, history: BaseMessage[]) => Promise<Answered>;

/** The --json record of one question. */
function jsonRecord(result: Answered, choice: ModelChoice): Record<string, unknown> {
  return {
    question: result.question,
    answer: result.answer,
    model: choice.name,
    offline: choice.offline,
    tool_calls: result.calls.map((c) => ({
      server: c.server,
      tool: c.tool,
      arguments: c.args,
      ok: c.ok,
      result_chars: c.resultChars,
      ms: c.ms,
    })),
    ms: result.ms,
  };
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
  if (choice.offline && !args.json && !args.quiet) {
    process.stderr.write(`${offlineBanner(Object.keys(servers))}\n`);
  }

  // Ctrl-C (or SIGTERM) stops the question in flight; `finally` then ends the sessions.
  const stop = new AbortController();
  const onSignal = () => {
    if (stop.signal.aborted) process.exit(130); // a second Ctrl-C: leave at once
    process.exitCode = 130;
    stop.abort(new Error("interrupted"));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  let calls: ToolCallRecord[] = [];
  const progress = new Progress(process.stderr, !args.json && process.stderr.isTTY === true);
  try {
    const connected = await connectServers(servers, {
      onToolStart: (c) => progress.update(`${c.server}/${c.tool} ${JSON.stringify(c.args)}`),
      onToolEnd: (record) => {
        calls.push(record);
        if (args.verbose) progress.log(`  tool ${formatCall(record)}`, true);
        else progress.log(`  → ${record.tool} ${JSON.stringify(record.args)}`);
      },
    });
    try {
      if (stop.signal.aborted) return 130;
      const agent = buildAgent(choice.model, connected.tools);
      const once: AskOnce = async (question, history) => {
        calls = [];
        const started = performance.now();
        progress.start("thinking");
        // One signal per question, linked to Ctrl-C: the graph leaves a listener on the
        // signal it is given, so sharing one across a long REPL session leaked them
        // (and Node warned on stderr after ten questions).
        const turn = new AbortController();
        const abort = () => turn.abort(stop.signal.reason);
        stop.signal.addEventListener("abort", abort, { once: true });
        if (stop.signal.aborted) abort(); // Ctrl-C came before this question started
        try {
          const result = await ask(agent, question, history, {
            onStep: (messages) => connected.settle(messages),
            signal: turn.signal,
          });
          return { question, ...result, calls, ms: Math.round(performance.now() - started) };
        } finally {
          stop.signal.removeEventListener("abort", abort);
          progress.stop();
        }
      };

      if (args.question) {
        const result = await once(args.question, []);
        process.stdout.write(
          args.json
            ? `${JSON.stringify(jsonRecord(result, choice), null, 2)}\n`
            : `${result.answer}\n`,
        );
        return 0;
      }
      return await repl(
        once,
        stop.signal,
        (result) =>
          process.stdout.write(
            args.json ? `${JSON.stringify(jsonRecord(result, choice))}\n` : `${result.answer}\n\n`,
          ),
        // With --json a failed question is a line too, so a script's lines stay in step
        // with its questions.
        (question, message) =>
          args.json
            ? process.stdout.write(
                `${JSON.stringify({ question, error: message, model: choice.name })}\n`,
              )
            : process.stderr.write(`error: ${message}\n\n`),
      );
    } finally {
      await connected.close();
    }
  } catch (err) {
    if (stop.signal.aborted) return 130;
    throw err;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

async function repl(
  once: AskOnce,
  signal: AbortSignal,
  print: (result: Answered) => void,
  printError: (question: string, message: string) => void,
): Promise<number> {
  const interactive = process.stdin.isTTY === true;
  const [{ createInterface }, { conversationOf }] = await Promise.all([
    import("node:readline"),
    import("./agent.js"),
  ]);
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: interactive,
    historySize: 200,
    prompt: "ticket> ",
  });
  // Piped questions get no prompt, so stdout holds only the answers (or JSON Lines).
  const prompt = () => (interactive ? rl.prompt() : undefined);
  if (interactive)
    process.stdout.write(
      "Ask about support tickets (Russian or English). /help for examples, /exit to leave.\n",
    );
  let history: BaseMessage[] = [];
  rl.on("SIGINT", () => rl.close());
  signal.addEventListener("abort", () => rl.close(), { once: true });
  // Ctrl-C while the REPL was still loading: its abort event has already fired. Leave
  // before iterating: an iterator started on a closed interface waits forever.
  if (signal.aborted) {
    rl.close();
    return 130;
  }
  prompt();
  for await (const line of rl) {
    const question = line.trim();
    if (question === "/exit" || question === "/quit") break;
    if (question === "/help") {
      process.stdout.write(
        'Ask about tickets in Russian or English, e.g. "open critical security tickets",\n' +
          '"Найди все тикеты пользователя user123", "how many tickets by status?", "ticket TKT-0007".\n' +
          'Follow-ups refine the last question: "only the billing ones", "а закрытые?".\n' +
          "/exit or Ctrl-D leaves.\n\n",
      );
      prompt();
      continue;
    }
    if (question !== "") {
      let result: Answered;
      try {
        result = await once(question, history);
      } catch (err) {
        if (signal.aborted) break;
        // One failed question (the server went away, the model timed out) is reported,
        // and the session goes on.
        printError(question, err instanceof Error ? err.message : String(err));
        prompt();
        continue;
      }
      history = conversationOf(result.messages);
      print(result);
    }
    prompt();
  }
  rl.close();
  return signal.aborted ? 130 : 0;
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
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`agent failed: ${message}${modelHint(message)}\n`);
      process.exitCode = 1;
    }
  },
);

/** What to do when the model, not the MCP server, could not be reached. */
function modelHint(message: string): string {
  const key = process.env.OPENAI_API_KEY?.trim();
  if (!key || !/connection error|ECONNREFUSED|ENOTFOUND|fetch failed|timed? ?out/i.test(message)) {
    return "";
  }
  const where = process.env.OPENAI_BASE_URL?.trim() || "the OpenAI API";
  return ` (the model at ${where} could not be reached; --offline uses the built-in model)`;
}
