import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { SEVERITIES, type Severity } from "../../core/index.js";
import {
  anAlert,
  createOctetCountingParser,
  type DecodedAlert,
  parseCef,
  parseSyslog5424,
  runAlertSinkContract,
  startStreamReceiver,
  startUdpReceiver,
} from "./alert-sink.contract.js";
import { createSyslogSink, parseSyslogAddress } from "./syslog.js";
import { SD_ID, toOctetCountedFrame, toSyslogMessage } from "./syslog-format.js";
import { AlertDeliveryError } from "./types.js";

const BY_CEF_SEVERITY: Record<string, Severity> = {
  "10": "critical",
  "8": "high",
  "5": "medium",
  "3": "low",
  "1": "info",
};
const BY_SYSLOG_SEVERITY: Severity[] = ["critical", "critical", "critical", "high", "medium", "low", "info"];

function decode(message: string): DecodedAlert {
  const parsed = parseSyslog5424(message);
  if (parsed.msg.startsWith("CEF:")) {
    const cef = parseCef(parsed.msg);
    return { title: cef.name, severity: BY_CEF_SEVERITY[cef.severity] ?? "info" };
  }
  return {
    title: parsed.msg.slice(0, parsed.msg.indexOf(": ")),
    severity: BY_SYSLOG_SEVERITY[parsed.pri % 8] ?? "info",
  };
}

/** A self-signed certificate for 127.0.0.1, made with the openssl command. */
function selfSignedCertificate(): { key: string; cert: string } | string {
  const dir = mkdtempSync(join(tmpdir(), "palisade-syslog-tls-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    return { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") };
  } catch (error) {
    return `openssl could not make a test certificate: ${(error as Error).message}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const format of ["cef", "text"] as const) {
  runAlertSinkContract(`syslog udp (${format})`, async () => {
    const receiver = await startUdpReceiver();
    return {
      sink: createSyslogSink({ name: "siem", address: receiver.address, format }),
      received: async (count) => (await receiver.waitFor(count)).map(decode),
      done: receiver.close,
    };
  });
  runAlertSinkContract(`syslog tcp (${format})`, async () => {
    const receiver = await startStreamReceiver();
    return {
      sink: createSyslogSink({ name: "siem", address: receiver.address, format }),
      received: async (count) => (await receiver.waitFor(count)).map(decode),
      done: receiver.close,
    };
  });
}

const certificate = selfSignedCertificate();
if (typeof certificate === "string") {
  describe("syslog over tls", { skip: certificate }, () => {});
} else {
  runAlertSinkContract("syslog tls (cef)", async () => {
    const receiver = await startStreamReceiver(certificate);
    return {
      sink: createSyslogSink({ name: "siem", address: receiver.address, tls: { ca: certificate.cert } }),
      received: async (count) => (await receiver.waitFor(count)).map(decode),
      done: receiver.close,
    };
  });
}

describe("syslog sink", () => {
  it("sends RFC 5424 messages with CEF bodies over UDP", async () => {
    const receiver = await startUdpReceiver();
    after(receiver.close);
    const sink = createSyslogSink({
      name: "siem",
      address: receiver.address,
      hostname: "gw-1",
      facility: "auth",
      productVersion: "0.1.0",
    });
    await sink.send([anAlert({ severity: "critical" })]);
    await sink.close?.();
    const [message] = await receiver.waitFor(1);
    const parsed = parseSyslog5424(message ?? "");
    assert.equal(parsed.pri, 4 * 8 + 2, "facility auth (4), severity Critical (2)");
    assert.equal(parsed.version, 1);
    assert.equal(parsed.timestamp, "2026-05-12T09:30:15.123Z");
    assert.equal(parsed.hostname, "gw-1");
    assert.equal(parsed.appName, "palisade");
    assert.equal(parsed.procId, String(process.pid));
    assert.equal(parsed.msgId, "injection.blocked");
    assert.deepEqual(parsed.structuredData, {});
    assert.ok(message?.includes(" - CEF:0|"), "NILVALUE structured data before the CEF body");
    const cef = parseCef(parsed.msg);
    assert.equal(cef.deviceVersion, "0.1.0");
    assert.equal(cef.severity, "10");
    assert.equal(cef.extension.externalId, "inc-42");
  });

  it("sends text bodies with the alert in structured data over TCP, octet-counted", async () => {
    const receiver = await startStreamReceiver();
    after(receiver.close);
    const sink = createSyslogSink({ name: "siem", address: receiver.address, format: "text", hostname: "gw-1" });
    await sink.send([
      anAlert({ severity: "medium", summary: "two\nlines", fields: { identity: 'eve"]\\', "sp ace=": 1, ok: true } }),
      anAlert({ severity: "info", title: "second" }),
    ]);
    await sink.close?.();
    const [first, second] = await receiver.waitFor(2);
    const parsed = parseSyslog5424(first ?? "");
    assert.equal(parsed.pri, 16 * 8 + 4, "local0, Warning");
    assert.equal(parsed.msg, "Prompt injection blocked: two lines");
    assert.deepEqual(parsed.structuredData[SD_ID], {
      key: "injection.blocked:api-key:ci-bot",
      severity: "medium",
      incident: "inc-42",
      rule: "injection.blocked",
      link: "https://palisade.example/incidents/inc-42",
      identity: 'eve"]\\',
      sp_ace_: "1",
      ok: "true",
    });
    assert.equal(parseSyslog5424(second ?? "").pri, 16 * 8 + 6);
    assert.equal(receiver.connections(), 1, "one connection for the batch");
  });

  it("marks a non-ASCII message body with a BOM and keeps ASCII ones bare", () => {
    const ascii = toSyslogMessage(anAlert(), { format: "text" });
    const utf8 = toSyslogMessage(anAlert({ title: "Injektion blockiert: Überweisung" }), { format: "text" });
    assert.ok(!ascii.includes("\uFEFF"));
    assert.ok(utf8.includes("] \uFEFFInjektion"));
  });

  it("maps every severity onto an RFC 5424 severity", () => {
    const codes = SEVERITIES.map(
      (severity) => parseSyslog5424(toSyslogMessage(anAlert({ severity }), { format: "cef" })).pri % 8,
    );
    assert.deepEqual(codes, [2, 3, 4, 5, 6]);
  });

  it("keeps a message within maxBytes without cutting an escape in half", () => {
    const message = toSyslogMessage(anAlert({ summary: "\\".repeat(5000) }), { format: "cef", maxBytes: 1000 });
    assert.ok(Buffer.byteLength(message) <= 1000);
    const cef = parseCef(parseSyslog5424(message).msg);
    assert.match(cef.extension.msg ?? "", /^\\+\.\.\.$/, "whole escapes, then the cut mark");
  });

  it("frames by octet count, including multi-byte characters", () => {
    const frames: string[] = [];
    const feed = createOctetCountingParser((m) => frames.push(m));
    const bytes = Buffer.concat([toOctetCountedFrame("héllo wörld"), toOctetCountedFrame("x")]);
    assert.equal(bytes.subarray(0, 3).toString(), "13 ");
    for (const byte of bytes) feed(Buffer.from([byte]));
    assert.deepEqual(frames, ["héllo wörld", "x"]);
  });

  it("reconnects after the collector drops the connection", async () => {
    const receiver = await startStreamReceiver();
    after(receiver.close);
    const sink = createSyslogSink({ name: "siem", address: receiver.address });
    await sink.send([anAlert({ title: "one" })]);
    await receiver.waitFor(1);
    receiver.dropConnections();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sink.send([anAlert({ title: "two" })]);
    const got = await receiver.waitFor(2);
    assert.equal(decode(got[1] ?? "").title, "two");
    assert.equal(receiver.connections(), 2);
    await sink.close?.();
  });

  it("rejects when nothing listens, naming the sink and not the address", async () => {
    const receiver = await startStreamReceiver();
    await receiver.close();
    const sink = createSyslogSink({ name: "siem", address: receiver.address, timeoutMs: 500 });
    await assert.rejects(sink.send([anAlert()]), (e: unknown) => {
      assert.ok(e instanceof AlertDeliveryError);
      assert.equal(e.sink, "siem");
      assert.match(e.reason, /cannot connect \(ECONNREFUSED\)/);
      return true;
    });
  });

  it("refuses a TLS collector whose certificate it cannot verify", {
    skip: typeof certificate === "string" && certificate,
  }, async () => {
    if (typeof certificate === "string") return;
    const receiver = await startStreamReceiver(certificate);
    after(receiver.close);
    const sink = createSyslogSink({ name: "siem", address: receiver.address, timeoutMs: 1000 });
    await assert.rejects(sink.send([anAlert()]), /cannot connect/);
    assert.equal(receiver.messages.length, 0);
  });

  it("parses addresses, IPv6 included", () => {
    assert.deepEqual(parseSyslogAddress("udp://[::1]:514"), { transport: "udp", host: "::1", port: 514 });
    assert.deepEqual(parseSyslogAddress("tls://siem.example:6514"), {
      transport: "tls",
      host: "siem.example",
      port: 6514,
    });
    assert.throws(() => parseSyslogAddress("tcp://siem:0"));
    assert.throws(() => parseSyslogAddress("http://siem:514"));
  });
});
