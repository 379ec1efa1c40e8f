/** A root file system on disk (`dir:PATH`) read into the same tree as image layers, as layer 0. */
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
        }
      } else node.children?.set(name, { type: "other", size: 0, ...common });
    }
  };
  await visit(root, fs.root, "");
  fs.layers.push(summary);
  return fs;
}
