/**
 * Installed Python distributions: `.dist-info/METADATA` under site-packages or dist-packages,
 * `.egg-info/PKG-INFO`, and the single-file `.egg-info` that older Debian packages install.
 */
import type { Analyzer, FoundPackage, ImageFile } from "../../types.js";
import { isRegularFile } from "./file-mode.js";
import { toPep503Name, toPurl } from "./purl.js";
import { toPythonMetadata } from "./python-metadata.js";

/** Metadata files carry the long description; a few MB covers the largest real ones. */
const MAX_METADATA_BYTES = 8 * 1024 * 1024;

const DIST_INFO = /(^|\/)(site|dist)-packages\/[^/]+\.dist-info\/METADATA$/;
const EGG_INFO_DIR = /(^|\/)[^/]+\.egg-info\/PKG-INFO$/;
const EGG_INFO_FILE = /(^|\/)(site|dist)-packages\/[^/]+\.egg-info$/;

/** Whether `path` is a Python distribution's metadata file. */
export function isPythonMetadataPath(path: string): boolean {
  return DIST_INFO.test(path) || EGG_INFO_DIR.test(path) || EGG_INFO_FILE.test(path);
}

/** Finds Python distributions (ecosystem PyPI) from their installed metadata. */
export const pythonAnalyzer: Analyzer = {
  name: "python-dist",
  maxBytes: MAX_METADATA_BYTES,
  wants: (path, _size, mode) => isRegularFile(mode) && isPythonMetadataPath(path),
  analyze(files) {
    const packages: FoundPackage[] = [];
    const warnings: string[] = [];
    for (const file of files) {
      if (!isPythonMetadataPath(file.path)) continue;
      const found = toPythonPackage(file);
      if (typeof found === "string") warnings.push(found);
      else packages.push(found);
    }
    return { packages, warnings };
  },
};

/** One file to a package, or a warning when Name or Version is missing. */
function toPythonPackage(file: ImageFile): FoundPackage | string {
  const metadata = toPythonMetadata(file.content.toString("utf8"));
  if (!metadata.name || !metadata.version) return `${file.path}: Python metadata without Name or Version`;
  const found: FoundPackage = {
    name: metadata.name,
    version: metadata.version,
    ecosystem: "PyPI",
    purl: toPurl({ type: "pypi", name: toPep503Name(metadata.name), version: metadata.version }),
    kind: "library",
    path: file.path,
    layer: file.layer,
  };
  if (metadata.licenses.length > 0) found.licenses = metadata.licenses;
  return found;
}
