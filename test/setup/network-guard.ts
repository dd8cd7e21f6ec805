/**
 * Loopback-only network guard for every test process (loaded with `--import`).
 *
 * Tests must never reach the internet (no OpenAI, no tokenizer downloads): any socket
 * connect to a host that is not loopback throws at once, naming the host. Child
 * processes started by tests inherit the guard through NODE_OPTIONS.
 */
import net from "node:net";
import { fileURLToPath } from "node:url";

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1|\[::1\]|::ffff:127(?:\.\d{1,3}){3})$/i;

export function isLoopback(host: string | undefined): boolean {
  return host === undefined || host === "" || LOOPBACK.test(host);
}

type ConnectArgs = Parameters<net.Socket["connect"]>;
const originalConnect = net.Socket.prototype.connect;

net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0];
  let host: string | undefined;
  let path: string | undefined;
  if (Array.isArray(first)) {
    // Internal form used by http/undici: [options, callback]
    const opts = first[0] as { host?: string; path?: string } | undefined;
    host = opts?.host;
    path = opts?.path;
  } else if (first !== null && typeof first === "object") {
    const opts = first as { host?: string; path?: string };
    host = opts.host;
    path = opts.path;
  } else if (typeof first === "string" && Number.isNaN(Number(first))) {
    path = first; // a unix socket path
  } else {
    host = typeof args[1] === "string" ? args[1] : undefined;
  }
  if (path === undefined && !isLoopback(host)) {
    throw new Error(`network guard: tests may only connect to loopback, not ${String(host)}`);
  }
  return originalConnect.apply(this, args as ConnectArgs);
} as net.Socket["connect"];

const self = fileURLToPath(import.meta.url);
const flag = `--import=${self}`;
if (!(process.env.NODE_OPTIONS ?? "").includes(flag)) {
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} --import=tsx ${flag}`.trim();
}
