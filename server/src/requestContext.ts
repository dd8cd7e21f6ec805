/**
 * The request a piece of work belongs to, carried through async calls, so every log line
 * written while serving a request names it (pino's mixin reads it).
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface RequestContext {
  requestId: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** pino mixin: adds `req` (the request id) to lines logged inside a request. */
export function logMixin(): Record<string, string> {
  const ctx = requestContext.getStore();
  return ctx ? { req: ctx.requestId } : {};
}
