/**
 * A local OpenAI-compatible chat completions server that replays scripted turns and
 * records every request, so the real ChatOpenAI client can run the agent loop in tests
 * with no key and no network. The edge we cannot reach, faked at the HTTP level.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ChatRequest {
  model: string;
  messages: { role: string; content: unknown; tool_calls?: unknown[]; tool_call_id?: string }[];
  tools?: {
    type: string;
    function: { name: string; description: string; parameters: Record<string, unknown> };
  }[];
  [key: string]: unknown;
}

export type Turn =
  | { toolCalls: { name: string; args: Record<string, unknown> }[] }
  | { text: string }
  | ((
      req: ChatRequest,
    ) => { toolCalls: { name: string; args: Record<string, unknown> }[] } | { text: string });

export interface OpenAiStub {
  baseURL: string;
  requests: ChatRequest[];
  close(): Promise<void>;
}

export async function startOpenAiStub(turns: Turn[]): Promise<OpenAiStub> {
  const requests: ChatRequest[] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: `stub: no route ${req.method} ${req.url}` } }));
        return;
      }
      const parsed = JSON.parse(body) as ChatRequest;
      requests.push(parsed);
      const scripted = turns[Math.min(n++, turns.length - 1)]!;
      const turn = typeof scripted === "function" ? scripted(parsed) : scripted;
      const message =
        "text" in turn
          ? { role: "assistant", content: turn.text }
          : {
              role: "assistant",
              content: null,
              tool_calls: turn.toolCalls.map((c, i) => ({
                id: `call_${n}_${i}`,
                type: "function",
                function: { name: c.name, arguments: JSON.stringify(c.args) },
              })),
            };
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: `chatcmpl-${n}`,
          object: "chat.completion",
          created: 1_700_000_000,
          model: parsed.model,
          choices: [{ index: 0, message, finish_reason: "text" in turn ? "stop" : "tool_calls" }],
          usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
