/** Package URLs for the language analyzers: the shared builder, plus PyPI's name rule. */
export { encodePurlComponent, type PurlParts, toPurl } from "../purl.js";

/** PyPI names compare per PEP 503: lower-case, runs of `-`, `_` and `.` become one `-`. */
export function toPep503Name(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}
