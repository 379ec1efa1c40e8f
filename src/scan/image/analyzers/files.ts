/** What every analyzer checks about the files it is handed, whatever their format. */
import type { ImageFile } from "../types.js";

const FILE_TYPE_BITS = 0o170000;
const REGULAR_FILE = 0o100000;

/**
 * Whether `mode` is a regular file. Tar headers often carry permission bits only, so a mode
 * without file type bits counts as regular; a symlink or directory does not, since its content
 * is not the database.
 */
export function isRegularFile(mode: number): boolean {
  const type = mode & FILE_TYPE_BITS;
  return type === 0 || type === REGULAR_FILE;
}

/** Whether the reader handed over less content than the file holds (it has its own size limit). */
export function isTruncated(file: ImageFile): boolean {
  return file.content.length < file.size;
}
