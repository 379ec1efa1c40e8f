/**
 * A raw HTTP/1.1 client over a TCP socket, for what well-behaved clients (fetch, the openai SDK)
 * cannot do: send the headers, then trickle the body a byte at a time or stall half-way
 * (slow-loris), and watch whether and when the server answers and closes the connection.
 */
import { connect } from "node:net";

export interface SlowRequest {
  port: number;
  path?: string;
  headers: Record<string, string>;
  /** Body bytes sent right after the headers. */
  body?: string;
  /** Then this byte every `everyMs` (until the socket closes or `giveUpMs` passes). */
  drip?: { byte: string; everyMs: number };
  /** Stop waiting after this long: the result says the connection was still open. */
  giveUpMs: number;
}

export interface SlowResult {
  /** Status of the first answer, or undefined if none came. */
  status: number | undefined;
  headers: Record<string, string>;
  /** Its body (chunked encoding undone). */
  body: string;
  /** Milliseconds from connecting to the answer's first byte, and to the server closing. */
  answeredAfterMs: number | undefined;
  closedAfterMs: number | undefined;
  /** Bytes of body the client managed to send. */
  sent: number;
}

/** Send a request as an attacker would, and report what the server did. */
export function sendSlowly(request: SlowRequest): Promise<SlowResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(request.port, "127.0.0.1");
    let raw = Buffer.alloc(0);
    let answeredAfterMs: number | undefined;
    let sent = 0;
    let drip: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearInterval(drip);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({
        ...parseResponse(raw.toString("latin1")),
        answeredAfterMs,
        closedAfterMs: closed ? Date.now() - started : undefined,
        sent,
      });
    };
    const giveUp = setTimeout(() => finish(false), request.giveUpMs);
    socket.on("data", (data: Buffer) => {
      answeredAfterMs ??= Date.now() - started;
      raw = Buffer.concat([raw, data]);
    });
    // A reset (the server destroyed the socket while we were writing) is a close too.
    socket.on("error", () => finish(true));
    socket.on("close", () => finish(true));
    socket.on("connect", () => {
      const head = [
        `POST ${request.path ?? "/v1/chat/completions"} HTTP/1.1`,
        "host: 127.0.0.1",
        ...Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`),
        "",
        "",
      ].join("\r\n");
      socket.write(head + (request.body ?? ""));
      sent += Buffer.byteLength(request.body ?? "");
      const { drip: d } = request;
      if (d)
        drip = setInterval(() => {
          if (socket.writable) {
            socket.write(d.byte);
            sent += Buffer.byteLength(d.byte);
          }
        }, d.everyMs);
    });
  });
}

function parseResponse(text: string): Pick<SlowResult, "status" | "headers" | "body"> {
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) return { status: undefined, headers: {}, body: "" };
  const [statusLine = "", ...lines] = text.slice(0, end).split("\r\n");
  const headers = Object.fromEntries(
    lines.map((l) => [l.slice(0, l.indexOf(":")).trim().toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]),
  );
  let body = text.slice(end + 4);
  if (headers["transfer-encoding"] === "chunked") {
    let out = "";
    for (let at = 0; at < body.length; ) {
      const eol = body.indexOf("\r\n", at);
      const size = Number.parseInt(body.slice(at, eol), 16);
      if (eol < 0 || !size) break;
      out += body.slice(eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
    body = out;
  }
  return { status: Number(statusLine.split(" ")[1]), headers, body: Buffer.from(body, "latin1").toString("utf8") };
}
