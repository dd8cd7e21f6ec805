/**
 * The agent leaves no session open on the server: every way a run ends (an answer, the
 * end of piped questions, Ctrl-C, a server that cannot be reached) sends DELETE for the
 * HTTP sessions it opened. Checked against the real server's `mcp_open_sessions` gauge
 * (/metrics) and its "session opened" log lines, with the agent as a real process.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { loadMemoryStore } from "../../server/src/sources/loadStore.js";
import { startTestServer, type TestServer } from "../../test/helpers/server.js";
import { finished, openSessions, runNode, startNode, waitFor } from "./support/process.js";

let srv: TestServer;
before(async () => {
  srv = await startTestServer(await loadMemoryStore("data/requests.xls"));
});
after(() => srv.close());

const CLI = "agent/src/cli.ts";
const env = () => ({ MCP_SERVER_URL: srv.url });
const opened = () => srv.logs.filter((l) => l.msg === "session opened").length;

/** Runs `body`, then asserts it opened a session and the open count is back where it was. */
async function leavesNoSession(body: () => Promise<void>): Promise<void> {
  const open = await openSessions(srv.origin);
  const before = opened();
  await body();
  assert.ok(opened() > before, "the run opened a session");
  assert.equal(await openSessions(srv.origin), open, "every session it opened was ended");
}

test("one question: the session is ended after the answer", async () => {
  await leavesNoSession(async () => {
    const r = await runNode(CLI, ["--quiet", "open critical tickets"], env());
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /TKT-\d{4}/);
  });
});

test("several runs at once leave the open-session count where it was", async () => {
  await leavesNoSession(async () => {
    const runs = await Promise.all(
      Array.from({ length: 3 }, (_, i) =>
        runNode(CLI, ["--quiet", "--json", `tickets of user${110 + i}`], env()),
      ),
    );
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
  });
});

test("the REPL: the session is ended when the piped questions end", async () => {
  await leavesNoSession(async () => {
    const r = await runNode(CLI, ["--quiet"], env(), "open tickets\nа закрытые?\n");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.match(/Found \d+ tickets|Найдено тикетов/g)?.length, 2, r.stdout);
  });
});

test("Ctrl-C in the REPL: the session is ended, exit code 130", async () => {
  await leavesNoSession(async () => {
    const open = await openSessions(srv.origin);
    const child = startNode(CLI, ["--quiet"], env());
    const done = finished(child);
    child.stdin.write("open tickets\n");
    await waitFor(async () => (await openSessions(srv.origin)) > open, "the agent's session");
    child.kill("SIGINT");
    const r = await done;
    assert.equal(r.code, 130, r.stderr);
  });
});

test("Ctrl-C at any moment just after connecting: exit 130, never a hang", async () => {
  // The REPL starts a few tens of milliseconds after the session opens; a Ctrl-C in
  // between once left it waiting on a closed input for ever.
  for (const delayMs of [0, 25, 50, 75, 100]) {
    await leavesNoSession(async () => {
      const open = await openSessions(srv.origin);
      const child = startNode(CLI, ["--quiet"], env());
      const done = finished(child);
      child.stdin.write("open tickets\n");
      await waitFor(async () => (await openSessions(srv.origin)) > open, "the agent's session");
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      child.kill("SIGINT");
      const hung = new Promise<"hung">((resolve) => setTimeout(resolve, 15_000, "hung").unref());
      const r = await Promise.race([done, hung]);
      if (r === "hung") child.kill("SIGKILL");
      assert.notEqual(r, "hung", `still running 15 s after Ctrl-C (${delayMs} ms in)`);
      assert.equal((r as Awaited<typeof done>).code, 130);
    });
  }
});

test("a second server that cannot be reached: exit 2, and the first one's session is ended", async () => {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  const dir = mkdtempSync(path.join(tmpdir(), "agent-sessions-"));
  const config = path.join(dir, "servers.json");
  writeFileSync(
    config,
    JSON.stringify({
      "tickets-http": { transport: "streamable_http", url: srv.url },
      gone: { transport: "streamable_http", url: `http://127.0.0.1:${port}/mcp` },
    }),
  );
  try {
    await leavesNoSession(async () => {
      const r = await runNode(CLI, ["--config", config, "open tickets"], {});
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /Cannot reach MCP server "gone"/);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
