import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";

test("the network guard refuses connections that leave loopback", async () => {
  await assert.rejects(fetch("http://203.0.113.7:80/"), (err: Error) =>
    String((err as { cause?: Error }).cause?.message ?? err.message).includes("network guard"),
  );
});

test("the network guard lets loopback connections through", async () => {
  const server = http.createServer((_req, res) => res.end("ok"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  try {
    const res = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(await res.text(), "ok");
  } finally {
    server.close();
  }
});
