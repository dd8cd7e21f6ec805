// Loopback-only network guard for every test process (loaded with `--import`).
//
// Tests must never reach the internet (no OpenAI, no tokenizer downloads): any socket
// connect to a host that is not loopback throws at once, naming the host. Child
// processes (and worker threads) started by tests inherit the guard through
// NODE_OPTIONS. Plain JavaScript, so it loads even where no TypeScript loader is
// registered (e.g. pino's transport worker threads).
import net from "node:net";
import { fileURLToPath } from "node:url";

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1|\[::1\]|::ffff:127(?:\.\d{1,3}){3})$/i;

export function isLoopback(host) {
  return host === undefined || host === null || host === "" || LOOPBACK.test(host);
}

const originalConnect = net.Socket.prototype.connect;

net.Socket.prototype.connect = function guardedConnect(...args) {
  const first = args[0];
  let host;
  let path;
  if (Array.isArray(first)) {
    // Internal form used by http/undici: [options, callback]
    host = first[0]?.host;
    path = first[0]?.path;
  } else if (first !== null && typeof first === "object") {
    host = first.host;
    path = first.path;
  } else if (typeof first === "string" && Number.isNaN(Number(first))) {
    path = first; // a unix socket path
  } else {
    host = typeof args[1] === "string" ? args[1] : undefined;
  }
  if (path === undefined && !isLoopback(host)) {
    throw new Error(`network guard: tests may only connect to loopback, not ${String(host)}`);
  }
  return originalConnect.apply(this, args);
};

const flag = `--import=${fileURLToPath(import.meta.url)}`;
if (!(process.env.NODE_OPTIONS ?? "").includes(flag)) {
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} --import=tsx ${flag}`.trim();
}
