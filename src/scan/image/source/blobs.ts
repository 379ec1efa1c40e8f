/**
 * Where an image's files live: an OCI layout folder, a tar holding one (or a `docker save`
 * archive). Blobs are named by their path in the layout or archive; a tar is listed once and
 * its members read in place by offset, never extracted.
 */
import { createReadStream } from "node:fs";
import { type FileHandle, open, readFile, stat } from "node:fs/promises";
import { join, normalize } from "node:path";
import type { Readable } from "node:stream";
import { PalisadeError } from "../../../core/index.js";
import { fileSource, readTarDirectory } from "../../model/index.js";
import type { FileRegion } from "./file-digest.js";

export interface BlobStore {
  /** The file or folder, for error messages. */
  readonly label: string;
  /** Size of a member, or undefined when there is none of that name. */
  size(name: string): Promise<number | undefined>;
  /** A whole member of at most `limit` bytes. */
  read(name: string, limit: number): Promise<Buffer>;
  /** A member as a stream of its stored bytes. */
  stream(name: string): Promise<Readable>;
  /** Where a member's bytes lie in a plain file, so they can be hashed apart from the stream. */
  region(name: string): FileRegion | undefined;
  close(): Promise<void>;
}

/** Member names as archives write them (`./blobs/x`, `blobs/x`) compare equal. */
export function memberName(name: string): string {
  return normalize(name.replace(/^(\.\/)+/, "").replace(/^\/+/, "")).replace(/^(\.\/)+/, "");
}

function missing(label: string, name: string): PalisadeError {
  return new PalisadeError("bad-input", `${label}: ${name} is missing`, { input: label });
}

function tooLarge(label: string, name: string, size: number, limit: number): PalisadeError {
  return new PalisadeError("bad-input", `${label}: ${name} is ${size} bytes, more than the ${limit} allowed`, {
    input: label,
  });
}

/** A folder (an OCI layout). Names must stay inside it. */
export function folderStore(root: string): BlobStore {
  const resolve = (name: string) => {
    const clean = memberName(name);
    if (clean.startsWith("..") || clean.includes("/../"))
      throw new PalisadeError("bad-input", `${root}: ${name} points outside the layout`, { input: root });
    return join(root, clean);
  };
  return {
    label: root,
    async size(name) {
      const info = await stat(resolve(name)).catch(() => undefined);
      return info?.isFile() ? info.size : undefined;
    },
    async read(name, limit) {
      const path = resolve(name);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) throw missing(root, name);
      if (info.size > limit) throw tooLarge(root, name, info.size, limit);
      return readFile(path);
    },
    async stream(name) {
      const path = resolve(name);
      if (!(await stat(path).catch(() => undefined))?.isFile()) throw missing(root, name);
      return createReadStream(path, { highWaterMark: 1 << 20 });
    },
    region(name) {
      return { path: resolve(name) };
    },
    async close() {},
  };
}

/** A tar file: listed once, members read by offset. */
export async function tarStore(path: string): Promise<BlobStore> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (cause) {
    throw new PalisadeError("bad-input", `cannot open ${path}: ${(cause as NodeJS.ErrnoException).code ?? cause}`, {
      input: path,
      cause,
    });
  }
  try {
    const size = (await handle.stat()).size;
    const directory = await readTarDirectory(fileSource(handle, size));
    if (directory.entries.length === 0)
      throw new PalisadeError(
        "bad-input",
        `${path}: not a tar archive${directory.damaged ? ` (${directory.damaged})` : ""}`,
        {
          input: path,
        },
      );
    const members = new Map<string, { offset: number; size: number }>();
    for (const e of directory.entries) if (e.type === "0" || e.type === "7") members.set(memberName(e.name), e);
    const damaged = directory.damaged;
    const find = (name: string) => {
      const m = members.get(memberName(name));
      if (!m)
        throw damaged
          ? new PalisadeError("bad-input", `${path}: ${name} is missing (${damaged})`, { input: path })
          : missing(path, name);
      return m;
    };
    return {
      label: path,
      async size(name) {
        return members.get(memberName(name))?.size;
      },
      async read(name, limit) {
        const m = find(name);
        if (m.size > limit) throw tooLarge(path, name, m.size, limit);
        const bytes = Buffer.alloc(m.size);
        const { bytesRead } = await handle.read(bytes, 0, m.size, m.offset);
        if (bytesRead !== m.size)
          throw new PalisadeError("bad-input", `${path}: ${name} is truncated`, { input: path });
        return bytes;
      },
      async stream(name) {
        const m = find(name);
        if (m.size === 0) return (await import("node:stream")).Readable.from([]);
        return createReadStream(path, { start: m.offset, end: m.offset + m.size - 1, highWaterMark: 1 << 20 });
      },
      region(name) {
        const m = members.get(memberName(name));
        return m ? { path, start: m.offset, size: m.size } : undefined;
      },
      async close() {
        await handle.close();
      },
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
