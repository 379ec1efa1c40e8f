/**
 * Sensor events carry command lines, and command lines carry secrets (`curl -H "Authorization:
 * Bearer ..."`, `mysql -pHunter2`): like gateway prompts, they are stored redacted. Only the
 * secrets detector runs here: it is what command lines leak, and it is cheap enough for every
 * exec a cluster reports.
 */
import type { Event } from "../core/index.js";
import { createSecretsDetector, redact } from "../detect/index.js";

export type SensorRedactor = (event: Event) => Event;

export function createSensorRedactor(): SensorRedactor {
  const secrets = createSecretsDetector();
  const clean = (text: unknown): unknown => {
    if (typeof text !== "string" || text === "") return text;
    const found = secrets.detect(text);
    return found.length === 0 ? text : redact(text, found, { style: "placeholder" }).text;
  };
  const cleanProcess = (value: unknown): unknown => {
    if (value === null || typeof value !== "object") return value;
    const process = value as Record<string, unknown>;
    return {
      ...process,
      binary: clean(process.binary),
      ...(Array.isArray(process.args) ? { args: process.args.map(clean) } : {}),
      ...(process.cwd !== undefined ? { cwd: clean(process.cwd) } : {}),
    };
  };
  /** Every string the redactor would clean, joined: one scan tells whether any needs it. */
  const texts = (p: Record<string, unknown>): string[] => {
    const out: string[] = [];
    const push = (v: unknown) => {
      if (typeof v === "string" && v !== "") out.push(v);
    };
    const pushProcess = (v: unknown) => {
      if (v === null || typeof v !== "object") return;
      const process = v as Record<string, unknown>;
      push(process.binary);
      push(process.cwd);
      if (Array.isArray(process.args)) for (const a of process.args) push(a);
    };
    push(p.message);
    pushProcess(p.process);
    if (Array.isArray(p.ancestors)) for (const a of p.ancestors) pushProcess(a);
    if (p.file && typeof p.file === "object") push((p.file as { path?: unknown }).path);
    return out;
  };
  return (event) => {
    const p = event.payload;
    // Most events carry no secret: one scan of all their strings, and the per-string pass only
    // when it finds something (a span across two strings' seam only costs that pass).
    if (secrets.detect(texts(p).join("\n")).length === 0) return event;
    return {
      ...event,
      payload: {
        ...p,
        ...(p.message !== undefined ? { message: clean(p.message) } : {}),
        ...(p.process !== undefined ? { process: cleanProcess(p.process) } : {}),
        ...(Array.isArray(p.ancestors) ? { ancestors: p.ancestors.map(cleanProcess) } : {}),
        ...(p.file && typeof p.file === "object"
          ? { file: { ...(p.file as Record<string, unknown>), path: clean((p.file as { path?: unknown }).path) } }
          : {}),
      },
    };
  };
}
