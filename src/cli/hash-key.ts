/**
 * The key of the audit trail's prompt hashes (`promptHmac`). A public default would let anyone
 * holding a guessed prompt confirm it was sent, so without $PALISADE_HASH_KEY each installation
 * makes its own random key once and keeps it beside its store, readable by its owner only; the
 * hashes then stay comparable across restarts. Replicas must share one: they set the variable.
 */
import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { PalisadeError } from "../core/index.js";

export interface AuditHashKey {
  key: string;
  /** The file it was read from or made in; absent when it came from the environment. */
  file?: string;
}

const MIN_KEY_LENGTH = 32;

export function auditHashKey(env: NodeJS.ProcessEnv = process.env): AuditHashKey {
  if (env.PALISADE_HASH_KEY) return { key: env.PALISADE_HASH_KEY };
  const home = env.PALISADE_HOME ?? join(homedir(), ".palisade");
  const file = join(home, "hash-key");
  mkdirSync(home, { recursive: true, mode: 0o700 });
  // Written whole under a temporary name, then linked into place: `link` fails when the file
  // exists, so of two processes starting at once one makes the key and the other reads that one,
  // never a half-written file.
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(temporary, `${randomBytes(32).toString("hex")}\n`, { flag: "wx", mode: 0o600 });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    unlinkSync(temporary);
  }
  const key = readFileSync(file, "utf8").trim();
  if (key.length < MIN_KEY_LENGTH)
    throw new PalisadeError(
      "bad-config",
      `${file} holds no usable hash key (fewer than ${MIN_KEY_LENGTH} characters); delete it to make a new one, or set PALISADE_HASH_KEY`,
      { input: file },
    );
  return { key, file };
}
