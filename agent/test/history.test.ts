/**
 * What a real model is given of the conversation: the interactive prompt, piped with
 * `--json`, driving ChatOpenAI against the local OpenAI-compatible stub (and the real
 * ticket server). Each request carries the earlier questions and final answers, bounded
 * to the last HISTORY_TURNS turns, as the README says.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, test } from "node:test";
import { HISTORY_TURNS } from "../src/agent.js";
import { loadMemoryStore } from "../../server/src/sources/loadStore.js";
import { startOpenAiStub, type OpenAiStub } from "../../test/helpers/openaiStub.js";
import { startTestServer, type TestServer } from "../../test/helpers/server.js";
import { finished } from "./support/process.js";

let srv: TestServer;
let stub: OpenAiStub;

before(async () => {
  srv = await startTestServer(await loadMemoryStore("data/requests.xls"));
  // Every request is answered at once, with the number of the request.
  let n = 0;
  stub = await startOpenAiStub([() => ({ text: `answer ${++n}` })]);
});
after(async () => {
  await stub.close();
  await srv.close();
});

test("a real model gets the earlier questions and answers, at most HISTORY_TURNS turns", async () => {
  const questions = Array.from({ length: HISTORY_TURNS + 3 }, (_, i) => `question ${i + 1}`);
  const child = spawn(process.execPath, ["--import", "tsx", "agent/src/cli.ts", "--json"], {
    env: {
      ...process.env,
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: stub.baseURL,
      MCP_SERVER_URL: srv.url,
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin.end(`${questions.join("\n")}\n`);
  const r = await finished(child);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "", "--json keeps stderr quiet, however long the conversation");
  assert.equal(r.stdout.trim().split("\n").length, questions.length);
  assert.equal(stub.requests.length, questions.length, "one request per question (no tools)");

  const dialogue = (k: number) =>
    stub.requests[k]!.messages.filter((m) => m.role !== "system").map(
      (m) => `${m.role}: ${String(m.content)}`,
    );
  // The second question is asked with the first question and its answer.
  assert.deepEqual(dialogue(1), ["user: question 1", "assistant: answer 1", "user: question 2"]);
  // The last is asked with the last HISTORY_TURNS turns only, oldest first.
  const last = questions.length - 1;
  const expected: string[] = [];
  for (let q = last - HISTORY_TURNS; q < last; q += 1) {
    expected.push(`user: ${questions[q]}`, `assistant: answer ${q + 1}`);
  }
  expected.push(`user: ${questions[last]}`);
  assert.deepEqual(dialogue(last), expected);
  assert.equal(
    stub.requests.every(
      (req) => req.messages.filter((m) => m.role === "user").length <= HISTORY_TURNS + 1,
    ),
    true,
  );
});

test("--json in the prompt: a question that fails is a JSON line too, in step with the questions", async () => {
  // The ticket server has no /v1/chat/completions: every question fails at the model.
  const child = spawn(process.execPath, ["--import", "tsx", "agent/src/cli.ts", "--json"], {
    env: {
      ...process.env,
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: `${srv.origin}/v1`,
      MCP_SERVER_URL: srv.url,
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin.end("first question\nsecond question\n");
  const r = await finished(child);
  assert.equal(r.code, 0, r.stderr);
  const records = r.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { question: string; error?: string });
  assert.deepEqual(
    records.map((o) => o.question),
    ["first question", "second question"],
  );
  assert.ok(
    records.every((o) => typeof o.error === "string" && o.error !== ""),
    r.stdout,
  );
});
