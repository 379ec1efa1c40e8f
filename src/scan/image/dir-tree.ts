/** A root file system on disk (`dir:PATH`) read into the same tree as image layers, as layer 0. */
import { createReadStream } from "node:fs";
import { lstat, open, readdir, readlink } from "node:fs/promises";
import { join } from "node:path";
import type { FsNode, ImageFileSystem, LayerLimits, LayerVisitor } from "./layers.js";
import { DEFAULT_LAYER_LIMITS, newRoot } from "./layers.js";

export async function readDirectory(
  root: string,
  visitor: LayerVisitor,
  limits: LayerLimits = DEFAULT_LAYER_LIMITS,
): Promise<ImageFileSystem> {
  const fs: ImageFileSystem = { root: newRoot(), layers: [], warnings: [] };
  const summary = { index: 0, bytes: 0, entries: 0, largest: [] as { path: string; size: number }[] };
  let kept = 0;
  const visit = async (dir: string, node: FsNode, prefix: string): Promise<void> => {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      fs.warnings.push(`${prefix || "/"}: cannot be listed (${(error as NodeJS.ErrnoException).code})`);
      return;
    }
    for (const name of names.sort()) {
      if (++summary.entries > limits.maxEntries) throw new Error(`${root}: more than ${limits.maxEntries} entries`);
      const full = join(dir, name);
      const path = prefix ? `${prefix}/${name}` : name;
      const info = await lstat(full).catch(() => undefined);
      if (!info) continue;
      const common = { mode: info.mode, uid: info.uid, gid: info.gid, layer: 0 };
      if (info.isDirectory()) {
        const child: FsNode = { type: "dir", size: 0, ...common, children: new Map() };
        node.children?.set(name, child);
        await visit(full, child, path);
      } else if (info.isSymbolicLink()) {
        node.children?.set(name, { type: "symlink", size: 0, ...common, linkname: await readlink(full) });
      } else if (info.isFile()) {
        const child: FsNode = { type: "file", size: info.size, ...common };
        node.children?.set(name, child);
        summary.bytes += info.size;
        if (visitor.wants(path, info.size, info.mode)) {
          if (info.size > limits.maxFileBytes || kept + info.size > limits.maxKeptBytes) {
            fs.warnings.push(`/${path} (${info.size} bytes) was not read: over the content limit`);
            continue;
          }
          const handle = await open(full, "r");
          try {
            child.content = await handle.readFile();
            kept += info.size;
          } finally {
            await handle.close();
          }
        } else if (visitor.take && visitor.mayTake?.(path, info.size, info.mode)) {
          child.note = await takeFile(full, path, info.size, info.mode, visitor);
        }
      } else node.children?.set(name, { type: "other", size: 0, ...common });
    }
  };
  await visit(root, fs.root, "");
  fs.layers.push(summary);
  return fs;
}

const HEAD_BYTES = 64 * 1024;

/** Offers a file to the visitor's `take` as the layer reader does: its first bytes, then the whole stream. */
async function takeFile(
  full: string,
  path: string,
  size: number,
  mode: number,
  visitor: LayerVisitor,
): Promise<unknown> {
  const handle = await open(full, "r");
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(Math.min(HEAD_BYTES, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const consume = visitor.take?.(path, size, mode, head);
  return consume ? await consume(createReadStream(full, { highWaterMark: 1 << 20 })) : undefined;
}
