/**
 * Syslog sink: RFC 5424 messages over UDP (RFC 5426, one message per datagram), TCP (RFC 6587
 * octet counting) or TLS (RFC 5425, which uses the same framing). Stream connections open on
 * first use, stay open, and are opened again after an error.
 */
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { connect as connectTcp, isIP, type Socket } from "node:net";
import { hostname } from "node:os";
import { type ConnectionOptions, connect as connectTls } from "node:tls";
import type { SyslogFacility } from "../../policy/index.js";
import { type SyslogFormatOptions, toOctetCountedFrame, toSyslogMessage } from "./syslog-format.js";
import { AlertDeliveryError, type AlertSink } from "./types.js";

export type SyslogTransport = "udp" | "tcp" | "tls";

export interface SyslogSinkOptions {
  name: string;
  /** `udp://host:port`, `tcp://host:port` or `tls://host:port`. */
  address: string;
  format?: "text" | "cef";
  facility?: SyslogFacility;
  appName?: string;
  /** HOSTNAME in the header (default: this machine's name). */
  hostname?: string;
  productVersion?: string;
  /** Connect and write time limit for tcp and tls (ms). */
  timeoutMs?: number;
  /** Certificate checks for tls (ca PEM text, servername, rejectUnauthorized). */
  tls?: Pick<ConnectionOptions, "ca" | "servername" | "rejectUnauthorized">;
  maxBytes?: number;
}

/** Splits `udp://host:port` (IPv6 hosts in brackets). */
export function parseSyslogAddress(address: string): { transport: SyslogTransport; host: string; port: number } {
  const match = /^(udp|tcp|tls):\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(address);
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65_535) throw new TypeError(`not a syslog address: ${address}`);
  return { transport: match[1] as SyslogTransport, host: (match[2] ?? "").replace(/^\[|\]$/g, ""), port };
}

/** A sink writing each alert as one syslog message. */
export function createSyslogSink(options: SyslogSinkOptions): AlertSink {
  const { transport, host, port } = parseSyslogAddress(options.address);
  const timeoutMs = options.timeoutMs ?? 5000;
  const format: SyslogFormatOptions = {
    format: options.format ?? "cef",
    hostname: options.hostname ?? hostname(),
    ...(options.facility ? { facility: options.facility } : {}),
    ...(options.appName ? { appName: options.appName } : {}),
    ...(options.productVersion ? { productVersion: options.productVersion } : {}),
    maxBytes: options.maxBytes ?? 8192,
  };
  const fail = (reason: string, cause?: unknown) =>
    new AlertDeliveryError(options.name, reason, { retryable: true, cause });

  let udp: UdpSocket | undefined;
  let stream: Socket | undefined;
  let connecting: Promise<Socket> | undefined;

  function openStream(): Promise<Socket> {
    if (stream && !stream.destroyed && stream.writable) return Promise.resolve(stream);
    connecting ??= new Promise<Socket>((resolve, reject) => {
      const ready = transport === "tls" ? "secureConnect" : "connect";
      const socket =
        transport === "tls"
          ? connectTls({
              host,
              port,
              // SNI carries host names only (RFC 6066); an IP address is still checked against the certificate.
              ...(options.tls?.servername || !isIP(host) ? { servername: options.tls?.servername ?? host } : {}),
              ...(options.tls?.ca === undefined ? {} : { ca: options.tls.ca }),
              rejectUnauthorized: options.tls?.rejectUnauthorized ?? true,
            })
          : connectTcp({ host, port });
      const timer = setTimeout(() => socket.destroy(new Error("ETIMEDOUT")), timeoutMs);
      socket.once(ready, () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        // Later errors (the collector went away) close the socket; the next send reconnects.
        socket.on("error", () => socket.destroy());
        socket.setKeepAlive(true);
        // An idle alert connection must not keep a process alive; close() ends it properly.
        socket.unref();
        stream = socket;
        resolve(socket);
      });
      socket.once("error", (cause) => {
        clearTimeout(timer);
        socket.destroy();
        reject(fail(`cannot connect (${(cause as NodeJS.ErrnoException).code ?? cause.message})`, cause));
      });
    }).finally(() => {
      connecting = undefined;
    });
    return connecting;
  }

  function write(socket: Socket, frame: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(fail(`write not done within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.write(frame, (error) => {
        clearTimeout(timer);
        if (error) reject(fail(`write failed (${(error as NodeJS.ErrnoException).code ?? error.message})`, error));
        else resolve();
      });
    });
  }

  async function sendStream(frames: Buffer[]): Promise<void> {
    const frame = Buffer.concat(frames);
    try {
      await write(await openStream(), frame);
    } catch (first) {
      // A connection the collector closed while idle fails on first use: one fresh attempt.
      stream?.destroy();
      stream = undefined;
      if (first instanceof AlertDeliveryError && first.reason.startsWith("cannot connect")) throw first;
      await write(await openStream(), frame);
    }
  }

  function sendDatagram(message: string): Promise<void> {
    udp ??= createSocket(host.includes(":") ? "udp6" : "udp4").unref();
    const socket = udp;
    return new Promise((resolve, reject) => {
      socket.send(Buffer.from(message, "utf8"), port, host, (error) => {
        if (error) reject(fail(`send failed (${(error as NodeJS.ErrnoException).code ?? error.message})`, error));
        else resolve();
      });
    });
  }

  return {
    name: options.name,
    async send(alerts) {
      const messages = alerts.map((alert) => toSyslogMessage(alert, format));
      if (transport === "udp") {
        for (const message of messages) await sendDatagram(message);
        return;
      }
      await sendStream(messages.map(toOctetCountedFrame));
    },
    async close() {
      udp?.close();
      udp = undefined;
      const socket = stream;
      stream = undefined;
      if (!socket || socket.destroyed) return;
      await new Promise<void>((resolve) => {
        socket.once("close", () => resolve());
        socket.end();
        setTimeout(() => socket.destroy(), 1000).unref();
      });
    },
  };
}
