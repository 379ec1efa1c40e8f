/** Builders shared by the analyzer tests: image files from bytes or from a real directory tree. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { ImageFile } from "../../types.js";

/** An image file as the layer reader hands it over (regular file, layer 0 unless told). */
export function anImageFile(
  path: string,
  content: Buffer | string,
  options: { mode?: number; layer?: number } = {},
): ImageFile {
  const bytes = typeof content === "string" ? Buffer.from(content) : content;
  return {
    path,
    size: bytes.length,
    mode: options.mode ?? 0o100644,
    uid: 0,
    gid: 0,
    layer: options.layer ?? 0,
    content: bytes,
  };
}

/**
 * The files under `root` that `wants` accepts, as image files whose paths are relative to
 * `imageRoot` (the directory standing in for the image's `/`). Symlinks are not followed.
 */
export function imageFilesFrom(options: {
  root: string;
  imageRoot: string;
  wants: (path: string, size: number, mode: number) => boolean;
}): ImageFile[] {
  const files: ImageFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const stat = statSync(full);
        const path = relative(options.imageRoot, full);
        if (options.wants(path, stat.size, stat.mode)) {
          files.push(anImageFile(path, readFileSync(full), { mode: stat.mode }));
        }
      }
    }
  };
  walk(options.root);
  return files;
}
