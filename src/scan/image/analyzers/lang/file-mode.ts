/** Tar mode bits shared by the analyzers' `wants` checks. */
export { isRegularFile } from "../files.js";

/** Whether anyone may execute the file (user, group or other x bit). */
export function isExecutable(mode: number): boolean {
  return (mode & 0o111) !== 0;
}
