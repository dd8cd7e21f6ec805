/**
 * What the agent's end-to-end tests share: running an entry point as a user would (a
 * real process, no OpenAI key, so the offline model answers) and reading the server's
 * open-session gauge from its /metrics endpoint.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `node --import tsx script args` with no OPENAI_API_KEY. */
export function startNode(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): ChildProcessWithoutNullStreams {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  delete childEnv.OPENAI_API_KEY;
  return spawn(process.execPath, ["--import", "tsx", script, ...args], {
    env: childEnv,
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** Collects a started process's output until it exits. */
export function finished(child: ChildProcessWithoutNullStreams): Promise<Result> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs an entry point to the end, with `stdin` piped in (then closed). */
export function runNode(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  stdin?: string,
): Promise<Result> {
  const child = startNode(script, args, env);
  const done = finished(child);
  child.stdin.end(stdin ?? "");
  return done;
}

/** The server's `mcp_open_sessions` gauge, read as a scraper would. */
export async function openSessions(origin: string): Promise<number> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  const line = /^mcp_open_sessions (\d+)$/m.exec(text);
  if (!line) throw new Error(`no mcp_open_sessions in ${origin}/metrics`);
  return Number(line[1]);
}

/** Waits until `check` holds (polling every 50 ms), or fails after `ms`. */
export async function waitFor(check: () => Promise<boolean>, what: string, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
