/**
 * Cold starts of the commands as a user types them (npm included): `npm start` until
 * /healthz answers, one offline agent question against a running server, and
 * `npm run agent -- --help`; each a fresh process, 5 runs after a warm-up (which also
 * rebuilds dist/ if a source changed), median and worst. Beside them: the agent's own
 * work (its --json "ms"), and the same commands without npm, from the build and from the
 * sources through tsx (how every command ran before the build), to show what each part
 * costs.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { freePort } from "../test/helpers/ports.js";

export const QUESTION = "Найди все критические тикеты по безопасности со статусом open";

export interface ColdStart {
  name: string;
  command: string;
  /** Seconds the issue asks for, when it does. */
  targetS?: number;
  ms: number[];
  /** The agent's own work per run (--json "ms"), for the question rows. */
  agentMs?: number[];
}

interface Command {
  name: string;
  argv: string[];
  targetS?: number;
  /** Resolves when the command counts as started (default: when it exits). */
  until?: "healthz";
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const worst = (xs: number[]) => Math.max(...xs);

/** The environment of a user without a key (the offline model) and our own npm flags. */
function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of ["OPENAI_API_KEY", "TICKETS_STORE", "LOG_FILE"]) delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith("npm_")) delete env[name];
  return env;
}

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
  } catch {
    return false;
  }
}

/** One run: milliseconds to "started", and what the process printed on stdout. */
async function runOnce(command: Command, env: Record<string, string>) {
  const port = command.until === "healthz" ? await freePort() : 0;
  const started = performance.now();
  const child = spawn(command.argv[0]!, command.argv.slice(1), {
    env: userEnv(command.until === "healthz" ? { ...env, PORT: String(port) } : env),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group: npm's children go with it
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, "exit") as Promise<[number | null]>;
  if (command.until === "healthz") {
    while (!(await healthy(port))) {
      if (child.exitCode !== null) throw new Error(`${command.name} exited: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const ms = performance.now() - started;
    process.kill(-child.pid!, "SIGTERM");
    await exited;
    return { ms, stdout };
  }
  const [code] = await exited;
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${command.name} exited with ${code}: ${stderr}`);
  return { ms, stdout };
}

async function measure(command: Command, env: Record<string, string>, runs: number) {
  await runOnce(command, env); // warm-up: disk cache, and a rebuild if one is due
  const row: ColdStart = {
    name: command.name,
    command: command.argv.join(" "),
    ms: [],
    ...(command.targetS ? { targetS: command.targetS } : {}),
  };
  for (let i = 0; i < runs; i++) {
    const { ms, stdout } = await runOnce(command, env);
    row.ms.push(Math.round(ms));
    if (command.argv.includes("--json")) {
      // (npm prints its "> mcp-tickets agent" banner first.)
      const json = stdout.slice(stdout.search(/^\{/m));
      (row.agentMs ??= []).push((JSON.parse(json) as { ms: number }).ms);
    }
  }
  return row;
}

/** Measures every command; a ticket server (from the build) answers the questions. */
export async function measureColdStarts({ runs = 5, log = (_: string) => {} } = {}): Promise<
  ColdStart[]
> {
  const port = await freePort();
  const server = spawn(process.execPath, ["scripts/run.mjs", "server"], {
    env: userEnv({ PORT: String(port), LOG_LEVEL: "warn" }),
    stdio: "ignore",
  });
  try {
    for (let waited = 0; !(await healthy(port)); waited += 50) {
      if (waited > 60_000) throw new Error("the ticket server for the agent rows did not start");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const env = { MCP_SERVER_URL: `http://127.0.0.1:${port}/mcp`, LOG_LEVEL: "warn" };
    const tsx = [process.execPath, "--import", "tsx"];
    const commands: Command[] = [
      { name: "npm start → /healthz", argv: ["npm", "start"], targetS: 1.0, until: "healthz" },
      {
        name: "npm run agent -- question",
        argv: ["npm", "run", "agent", "--", "--json", QUESTION],
        targetS: 1.5,
      },
      {
        name: "npm run agent -- --help",
        argv: ["npm", "run", "agent", "--", "--help"],
        targetS: 0.5,
      },
      {
        name: "server, build, no npm",
        argv: [process.execPath, "scripts/run.mjs", "server"],
        until: "healthz",
      },
      {
        name: "agent question, build, no npm",
        argv: [process.execPath, "scripts/run.mjs", "agent", "--json", QUESTION],
      },
      {
        name: "agent --help, build, no npm",
        argv: [process.execPath, "scripts/run.mjs", "agent", "--help"],
      },
      { name: "server, sources via tsx", argv: [...tsx, "server/src/main.ts"], until: "healthz" },
      {
        name: "agent question, sources via tsx",
        argv: [...tsx, "agent/src/cli.ts", "--json", QUESTION],
      },
      { name: "agent --help, sources via tsx", argv: [...tsx, "agent/src/cli.ts", "--help"] },
      { name: "node -e 0 (Node itself)", argv: [process.execPath, "-e", "0"] },
    ];
    const rows: ColdStart[] = [];
    for (const command of commands) {
      log(`cold start: ${command.name}`);
      rows.push(await measure(command, env, runs));
    }
    return rows;
  } finally {
    server.kill("SIGTERM");
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The report's section: the three targets, then where the time goes. */
export function renderColdStarts(rows: ColdStart[]): string[] {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const targets = rows.filter((r) => r.targetS !== undefined);
  const out = [
    "## Cold start",
    "",
    `Wall time of a fresh process, as typed (npm included), ${rows[0]?.ms.length ?? 0} runs ` +
      "after a warm-up: median and worst. `npm start` counts until /healthz answers (50 " +
      "sample tickets); the question is asked with the offline model of a running server " +
      `(\`--json\`, whose "ms" is the agent's own work): “${QUESTION}”.`,
    "",
    line(["command", "target", "median", "worst", "within target", "agent's own work"]),
    line(["---", "---", "---", "---", "---", "---"]),
    ...targets.map((r) =>
      line([
        `\`${r.name}\``,
        `${r.targetS!.toFixed(1)} s`,
        s(median(r.ms)),
        s(worst(r.ms)),
        median(r.ms) <= r.targetS! * 1000 ? "yes" : "**no**",
        r.agentMs ? `${s(median(r.agentMs))} (median)` : "",
      ]),
    ),
    "",
    "Without npm (median): the build that the commands run, beside the sources through " +
      "tsx (how every command ran before there was a build).",
    "",
    line(["command", "build (node scripts/run.mjs)", "sources via tsx", "tsx / build"]),
    line(["---", "---", "---", "---"]),
  ];
  for (const what of ["server", "agent question", "agent --help"]) {
    const built = byName.get(`${what}, build, no npm`);
    const source = byName.get(`${what}, sources via tsx`);
    if (!built || !source) continue;
    const label = what === "server" ? "server → /healthz" : what;
    const ratio = median(source.ms) / median(built.ms);
    out.push(line([label, s(median(built.ms)), s(median(source.ms)), `${ratio.toFixed(1)}×`]));
  }
  const node = byName.get("node -e 0 (Node itself)");
  if (node) out.push("", `Node itself (\`node -e 0\`): ${s(median(node.ms))}.`);
  out.push("");
  return out;
}
