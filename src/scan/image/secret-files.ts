/**
 * Secrets baked into an image's files: which files are read (configuration, scripts and known
 * credential files where an application lives; not the package trees, where test keys and
 * documentation examples abound and nothing was written by the image's author) and the
 * findings the secrets detector makes in them.
 */
import type { Finding } from "../../core/index.js";
import type { TextDetector } from "../../detect/index.js";
import { isRegularFile } from "./analyzers/files.js";
import type { ImageFile } from "./types.js";

/** Credential files are small; a larger "config" is data. */
export const MAX_SECRET_FILE_BYTES = 512 * 1024;

/** Credential files by name, wherever they are. */
const CREDENTIAL_NAMES =
  /(^|\/)(\.env(\.[\w-]+)?|\.npmrc|\.pypirc|\.netrc|\.git-credentials|\.pgpass|\.htpasswd|\.dockercfg|\.docker\/config\.json|\.aws\/credentials|\.kube\/config|\.git\/config|id_(rsa|dsa|ecdsa|ed25519)|[^/]+\.(pem|key))$/;
/** Text an author writes: configuration and scripts. */
const AUTHORED_TEXT =
  /\.(json|ya?ml|toml|ini|cfg|conf|properties|env|sh|bash|zsh|py|js|mjs|cjs|ts|rb|php|pl|xml|tf|tfvars|txt)$/i;
/** Where applications and their configuration live. */
const AUTHORED_ROOTS =
  /^(etc|app|apps|root|home|opt|srv|workspace|workdir|code|src|usr\/src|usr\/local\/(bin|etc|app))\//;
/** Trees of installed packages: third-party files whose example keys would drown the real ones. */
const PACKAGE_TREES =
  /(^|\/)(node_modules|site-packages|dist-packages|vendor|\.cache|__pycache__|\.npm|\.cargo\/registry|go\/pkg\/mod|\.m2\/repository|share\/doc|ssl\/certs)\/|^etc\/(ssl|ca-certificates|pki\/(ca-trust|tls\/certs))\//;

/** Whether to read `path` for secrets. */
export function isSecretCandidate(path: string, _size: number, mode: number): boolean {
  if (!isRegularFile(mode) || PACKAGE_TREES.test(path)) return false;
  return CREDENTIAL_NAMES.test(path) || (AUTHORED_ROOTS.test(path) && AUTHORED_TEXT.test(path));
}

/** One finding per secret met in the files (the value is never shown). */
export function secretFileFindings(files: readonly ImageFile[], secrets: TextDetector): Finding[] {
  const out: Finding[] = [];
  for (const file of files) {
    // A NUL in the first bytes means a binary file (a DER key is reported by name, not content).
    if (file.content.subarray(0, 8192).includes(0)) continue;
    const text = file.content.toString("utf8");
    for (const found of secrets.detect(text)) {
      const line = lineOf(text, found.start);
      out.push({
        ruleId: "image/secret-in-file",
        severity: "critical",
        title: `Secret in image file /${file.path}`,
        detail: `/${file.path}:${line} (layer ${file.layer}) holds a ${found.entity} (value not shown); anyone who can pull the image can read it`,
        references: [],
        owasp: ["LLM02:2025"],
        atlas: [],
        remediation:
          "remove it from the build context (.dockerignore) or use a build secret (`RUN --mount=type=secret`), rotate it, and pass secrets at run time",
        location: { path: `/${file.path}`, line, layer: String(file.layer) },
        fingerprint: `image/secret-in-file:/${file.path}:${line}:${found.ruleId}`,
      });
    }
  }
  return out;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf("\n"); at >= 0 && at < offset; at = text.indexOf("\n", at + 1)) line++;
  return line;
}
