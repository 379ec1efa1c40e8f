/**
 * Starting an HTTP server on an operator's `--listen HOST:PORT`: one promise, and a failure
 * named in one line (address in use, no such address...) instead of a raw socket error.
 */
import type { Server } from "node:http";
import { PalisadeError } from "./errors.js";

const LISTEN_FAILURES: Record<string, string> = {
  EADDRINUSE: "the address is already in use",
  EACCES: "permission denied (ports below 1024 need privileges)",
  EADDRNOTAVAIL: "no such address on this machine",
  ENOTFOUND: "unknown host",
  EAI_AGAIN: "unknown host",
};

/** A listen failure is the operator's input (`--listen`), named in one line. */
export function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const reason = (error.code ? LISTEN_FAILURES[error.code] : undefined) ?? error.message;
  return new PalisadeError("bad-input", `cannot listen on ${host}:${port}: ${reason}`, {
    input: `${host}:${port}`,
    cause: error,
  });
}

/**
 * `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (loopback) → its parts: the one reading of a listen
 * address for every server command, so all of them take and refuse the same spellings.
 */
export function parseHostPort(text: string, flag = "--listen"): { host: string; port: number } {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(text);
  const port = Number(m?.[3]);
  if (!m || port > 65_535)
    throw new PalisadeError("bad-usage", `${flag} must be HOST:PORT (e.g. 127.0.0.1:8080), got ${text}`, {
      input: text,
    });
  return { host: m[1] ?? (m[2] || "127.0.0.1"), port };
}

export interface Listening {
  host: string;
  port: number;
  /** `http://host:port`, IPv6 addresses in brackets. */
  url: string;
}

export function listenOn(server: Server, host: string, port: number, backlog?: number): Promise<Listening> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => reject(listenError(error, host, port)));
    server.listen({ port, host, ...(backlog ? { backlog } : {}) }, () => {
      const address = server.address();
      const bound =
        typeof address === "object" && address ? { host: address.address, port: address.port } : { host, port };
      const shown = bound.host.includes(":") ? `[${bound.host}]` : bound.host;
      resolve({ ...bound, url: `http://${shown}:${bound.port}` });
    });
  });
}
