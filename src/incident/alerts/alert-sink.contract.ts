/**
 * The alert-sink contract every sink runs against a real receiver on loopback, plus those
 * receivers (HTTP, UDP, TCP, TLS) and wire parsers (RFC 5424, RFC 6587 octet counting, CEF) that
 * the sink tests use to read back what arrived.
 */
import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { createServer as createHttpServer, type IncomingHttpHeaders } from "node:http";
import { createServer as createTcpServer, type Server, type Socket } from "node:net";
import { describe, it } from "node:test";
import { createServer as createTlsServer } from "node:tls";
import type { Severity } from "../../core/index.js";
import type { Alert, AlertSink } from "./types.js";

/** What a receiver got, read back into the parts every format carries. */
export interface DecodedAlert {
  title: string;
  severity: Severity;
}

export interface SinkHarness {
  sink: AlertSink;
  /** Waits for `count` alerts at the receiver and returns them decoded, in arrival order. */
  received(count: number): Promise<DecodedAlert[]>;
  done(): Promise<void>;
}

/** A small named builder: an alert with sensible defaults. */
export function anAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    key: "injection.blocked:api-key:ci-bot",
    severity: "high",
    title: "Prompt injection blocked",
    summary: "A prompt from api-key:ci-bot carried a hidden instruction and was blocked.",
    time: Date.UTC(2026, 4, 12, 9, 30, 15, 123),
    incidentId: "inc-42",
    rule: "injection.blocked",
    fields: { identity: "api-key:ci-bot", model: "llama3.1", workload: "bank/assistant", score: 0.97 },
    link: "https://palisade.example/incidents/inc-42",
    ...overrides,
  };
}

/** The behaviour every sink keeps, whatever its wire format. */
export function runAlertSinkContract(name: string, make: () => Promise<SinkHarness>): void {
  describe(`alert sink contract: ${name}`, () => {
    async function withSink(fn: (h: SinkHarness) => Promise<void>) {
      const harness = await make();
      try {
        await fn(harness);
      } finally {
        await harness.sink.close?.();
        await harness.done();
      }
    }

    it("delivers an alert with its title and severity", async () => {
      await withSink(async (h) => {
        await h.sink.send([anAlert({ severity: "critical", title: "Shell spawned by MCP server" })]);
        assert.deepEqual(await h.received(1), [{ title: "Shell spawned by MCP server", severity: "critical" }]);
      });
    });

    it("delivers every alert of a batch once, in order", async () => {
      await withSink(async (h) => {
        const severities: Severity[] = ["info", "medium", "high"];
        await h.sink.send(severities.map((severity, i) => anAlert({ key: `k${i}`, title: `alert ${i}`, severity })));
        const got = await h.received(3);
        assert.deepEqual(
          got.map((a) => [a.title, a.severity]),
          [
            ["alert 0", "info"],
            ["alert 1", "medium"],
            ["alert 2", "high"],
          ],
        );
      });
    });

    it("carries hostile text without losing or breaking it", async () => {
      await withSink(async (h) => {
        const title = `a|b=c\\d <!channel> & "q" ]x[ é ${"x".repeat(40)}`;
        await h.sink.send([
          anAlert({ title, summary: "line1\nline2 | = \\", fields: { identity: "eve=1|\\", "we ird key": "v" } }),
        ]);
        assert.deepEqual(await h.received(1), [{ title, severity: "high" }]);
      });
    });

    it("resolves an empty batch without sending", async () => {
      await withSink(async (h) => {
        await h.sink.send([]);
        await h.sink.send([anAlert({ title: "after empty" })]);
        assert.deepEqual(await h.received(1), [{ title: "after empty", severity: "high" }]);
      });
    });
  });
}

/** Polls `ready` until it holds, or fails after `timeoutMs`. */
export async function eventually(ready: () => boolean, timeoutMs = 3000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface HttpRequestRecord {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the receiver answers to the n-th request (0-based): a status, or `hang` (never answer). */
export type HttpAnswer = (n: number) => number | "hang";

/** An HTTP server on a loopback port that records every request. */
export async function startHttpReceiver(answer: HttpAnswer = () => 200) {
  const requests: HttpRequestRecord[] = [];
  const hanging = new Set<Socket>();
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const n = requests.length;
      requests.push({
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      const status = answer(n);
      if (status === "hang") {
        hanging.add(req.socket);
        return;
      }
      res.writeHead(status, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async waitFor(count: number) {
      await eventually(() => requests.length >= count, 3000, `${count} HTTP requests`);
      return requests.slice(0, count);
    },
    async close() {
      for (const socket of hanging) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A UDP socket on a loopback port that records every datagram as text. */
export async function startUdpReceiver() {
  const messages: string[] = [];
  const socket = createSocket("udp4");
  socket.on("message", (m) => messages.push(m.toString("utf8")));
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return {
    address: `udp://127.0.0.1:${socket.address().port}`,
    messages,
    async waitFor(count: number) {
      await eventually(() => messages.length >= count, 3000, `${count} datagrams`);
      return messages.slice(0, count);
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** Splits a byte stream into RFC 6587 octet-counted frames; keeps the rest for the next chunk. */
export function createOctetCountingParser(onFrame: (message: string) => void) {
  let pending = Buffer.alloc(0);
  return (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const space = pending.indexOf(0x20);
      if (space < 0) return;
      const header = pending.subarray(0, space).toString("ascii");
      if (!/^[1-9]\d{0,8}$/.test(header)) throw new Error(`bad octet count: ${JSON.stringify(header)}`);
      const length = Number(header);
      if (pending.length < space + 1 + length) return;
      onFrame(pending.subarray(space + 1, space + 1 + length).toString("utf8"));
      pending = pending.subarray(space + 1 + length);
    }
  };
}

/** A TCP (or, given a key and certificate, TLS) syslog receiver reading octet-counted frames. */
export async function startStreamReceiver(tls?: { key: string; cert: string }) {
  const messages: string[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const onSocket = (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    socket.on(
      "data",
      createOctetCountingParser((m) => messages.push(m)),
    );
  };
  const server: Server = tls ? createTlsServer(tls, onSocket) : createTcpServer(onSocket);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    address: `${tls ? "tls" : "tcp"}://127.0.0.1:${port}`,
    messages,
    connections: () => connections,
    /** Drop every open connection (the collector restarted). */
    dropConnections() {
      for (const socket of sockets) socket.destroy();
    },
    async waitFor(count: number) {
      await eventually(() => messages.length >= count, 3000, `${count} syslog frames`);
      return messages.slice(0, count);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An RFC 5424 message taken apart. */
export interface SyslogMessage {
  pri: number;
  version: number;
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  structuredData: Record<string, Record<string, string>>;
  msg: string;
}

/** Parses an RFC 5424 message strictly (header fields, SD escapes), failing on any deviation. */
export function parseSyslog5424(text: string): SyslogMessage {
  const head = /^<(\d{1,3})>(\d) (\S+) ([!-~]{1,255}) ([!-~]{1,48}) ([!-~]{1,128}) ([!-~]{1,32}) /.exec(text);
  if (!head) throw new Error(`not an RFC 5424 header: ${text.slice(0, 80)}`);
  let i = head[0].length;
  const structuredData: Record<string, Record<string, string>> = {};
  if (text[i] === "-") i++;
  else {
    while (text[i] === "[") {
      const id = /^\[([^ =\]"]{1,32})/.exec(text.slice(i));
      if (!id?.[1]) throw new Error("bad SD-ID");
      i += id[0].length;
      const params: Record<string, string> = {};
      while (text[i] === " ") {
        const name = /^ ([^ =\]"]{1,32})="/.exec(text.slice(i));
        if (!name?.[1]) throw new Error(`bad SD-PARAM at ${i}`);
        i += name[0].length;
        let value = "";
        for (;;) {
          const c = text[i++];
          if (c === undefined) throw new Error("unterminated PARAM-VALUE");
          if (c === "\\" && ['"', "\\", "]"].includes(text[i] ?? "")) value += text[i++];
          else if (c === '"') break;
          else if (c === "]" || c === '"') throw new Error("unescaped ] in PARAM-VALUE");
          else value += c;
        }
        params[name[1]] = value;
      }
      if (text[i++] !== "]") throw new Error("unterminated SD-ELEMENT");
      structuredData[id[1]] = params;
    }
  }
  let msg = "";
  if (i < text.length) {
    if (text[i] !== " ") throw new Error("expected SP before MSG");
    msg = text.slice(i + 1).replace(/^\uFEFF/, "");
  }
  return {
    pri: Number(head[1]),
    version: Number(head[2]),
    timestamp: head[3] ?? "",
    hostname: head[4] ?? "",
    appName: head[5] ?? "",
    procId: head[6] ?? "",
    msgId: head[7] ?? "",
    structuredData,
    msg,
  };
}

/** A CEF line taken apart, escapes undone. */
export interface CefEvent {
  version: string;
  vendor: string;
  product: string;
  deviceVersion: string;
  signatureId: string;
  name: string;
  severity: string;
  extension: Record<string, string>;
}

/** Parses a CEF line per the CEF spec's escaping; independent of the encoder in cef.ts. */
export function parseCef(line: string): CefEvent {
  if (!line.startsWith("CEF:")) throw new Error("not CEF");
  const header: string[] = [];
  let field = "";
  let i = 4;
  while (header.length < 7) {
    const c = line[i++];
    if (c === undefined) throw new Error("CEF header has fewer than 8 fields");
    if (c === "\\") {
      const next = line[i++];
      if (next !== "\\" && next !== "|") throw new Error(`bad header escape \\${next}`);
      field += next;
    } else if (c === "|") {
      header.push(field);
      field = "";
    } else field += c;
  }
  return {
    version: header[0] ?? "",
    vendor: header[1] ?? "",
    product: header[2] ?? "",
    deviceVersion: header[3] ?? "",
    signatureId: header[4] ?? "",
    name: header[5] ?? "",
    severity: header[6] ?? "",
    extension: parseCefExtension(line.slice(i)),
  };
}

/** `k1=v1 k2=v 2` → { k1: "v1", k2: "v 2" }: a key is the word before an unescaped `=`. */
export function parseCefExtension(text: string): Record<string, string> {
  const equals: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === "=") equals.push(i);
  }
  const out: Record<string, string> = {};
  const keyStarts = equals.map((e) => text.lastIndexOf(" ", e) + 1);
  equals.forEach((e, k) => {
    const key = text.slice(keyStarts[k], e);
    if (!/^[A-Za-z0-9]+$/.test(key)) throw new Error(`bad extension key ${JSON.stringify(key)}`);
    const next = keyStarts[k + 1];
    const raw = next === undefined ? text.slice(e + 1) : text.slice(e + 1, next - 1);
    out[key] = raw.replace(/\\(.)/g, (_, c: string) => {
      if (c === "n") return "\n";
      if (c === "r") return "\r";
      if (c === "\\" || c === "=") return c;
      throw new Error(`bad extension escape \\${c}`);
    });
  });
  return out;
}
