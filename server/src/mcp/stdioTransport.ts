/**
 * The stdio transport serveStdio runs on, with what the HTTP layer does around every
 * request: malformed params answered -32602 (requestGuard.ts), and one log line per
 * request (requestLog.ts, on stderr like every stdio log line).
 */
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import { invalidParams } from "./requestGuard.js";
import type { Exchange } from "./requestLog.js";

type OnMessage = StdioServerTransport["onmessage"];

export class GuardedStdioTransport extends StdioServerTransport {
  private receive: OnMessage;

  constructor(private readonly exchange: Exchange) {
    super();
    // serveStdio assigns onmessage after construction; wrap whatever it assigns.
    Object.defineProperty(this, "onmessage", {
      configurable: true,
      get: (): OnMessage => (this.receive ? this.dispatch : undefined),
      set: (fn: OnMessage) => {
        this.receive = fn;
      },
    });
  }

  private readonly dispatch: NonNullable<OnMessage> = (message) => {
    this.exchange.received(message);
    const invalid = invalidParams(message);
    if (invalid) {
      void this.send(invalid).catch(() => {});
      return;
    }
    this.receive?.(message);
  };

  override async send(...args: Parameters<StdioServerTransport["send"]>): Promise<void> {
    this.exchange.sent(args[0]);
    return super.send(...args);
  }
}
