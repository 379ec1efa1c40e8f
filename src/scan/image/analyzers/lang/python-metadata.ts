/**
 * Python core metadata (METADATA in a .dist-info, PKG-INFO in an .egg-info), per the Core
 * metadata specification (https://packaging.python.org/specifications/core-metadata/).
 */
import { firstHeader, type HeaderBlock, toHeaderBlock } from "./rfc822.js";

/** The fields the scanner uses from one distribution's metadata. */
export interface PythonMetadata {
  name?: string;
  version?: string;
  licenses: string[];
}

/** A `License:` value longer than this is a pasted licence text, not a name. */
const MAX_LICENSE_NAME = 120;

/** Reads the header block of a METADATA/PKG-INFO text; the body after the first blank line is ignored. */
export function toPythonMetadata(text: string): PythonMetadata {
  const headers = toHeaderBlock(text, { continuation: "newline" });
  return {
    name: firstHeader(headers, "Name"),
    version: firstHeader(headers, "Version"),
    licenses: toLicenses(headers),
  };
}

/**
 * License-Expression (PEP 639) wins; else a short `License:`; else the licence classifiers.
 * The fallbacks are not merged because they usually restate one licence in two spellings.
 */
function toLicenses(headers: HeaderBlock): string[] {
  const expression = firstHeader(headers, "License-Expression");
  if (expression) return [expression];
  const license = firstHeader(headers, "License");
  if (license && !license.includes("\n") && license.length <= MAX_LICENSE_NAME && license !== "UNKNOWN") {
    return [license];
  }
  const fromClassifiers = new Set<string>();
  for (const classifier of headers.get("Classifier") ?? []) {
    const parts = classifier.split("::").map((part) => part.trim());
    const last = parts.at(-1);
    if (parts[0] === "License" && parts.length > 1 && last && last !== "OSI Approved") fromClassifiers.add(last);
  }
  return [...fromClassifiers];
}
