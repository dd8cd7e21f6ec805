/**
 * One logger for the server. JSON lines when not on a terminal, pretty lines on one.
 * In stdio mode stdout carries the protocol, so logs go to stderr.
 */
import { pino, type Logger } from "pino";
import pretty from "pino-pretty";

export type { Logger };

export interface LoggerOptions {
  level: string;
  /** 1 = stdout, 2 = stderr. */
  fd: 1 | 2;
}

export function createLogger({ level, fd }: LoggerOptions): Logger {
  const tty = fd === 1 ? process.stdout.isTTY : process.stderr.isTTY;
  const options = {
    level,
    base: undefined, // no pid/hostname noise on every line
    redact: { paths: ["req.headers.authorization", "*.authorization"], remove: true },
  };
  if (tty) {
    return pino(
      options,
      pretty({ destination: fd, sync: true, colorize: true, ignore: "pid,hostname" }),
    );
  }
  return pino(options, pino.destination({ fd, sync: false }));
}
