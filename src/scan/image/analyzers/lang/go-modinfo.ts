/**
 * The module text in Go build info, in the line format of runtime/debug.BuildInfo:
 * `path\tPKG`, `mod\tPATH\tVERSION\tSUM`, `dep\tPATH\tVERSION\tSUM`, `=>\tPATH\tVERSION\tSUM`
 * (replaces the module on the line before) and `build\tKEY=VALUE`.
 */

/** A module as built into the binary. */
export interface GoModule {
  path: string;
  /** `v1.2.3`, a pseudo-version, or `(devel)`/empty for the main module and local replacements. */
  version: string;
  sum?: string;
  /** The `=>` line: the module whose code was actually compiled in. */
  replace?: Omit<GoModule, "replace">;
}

/** The parsed module text. */
export interface GoModInfo {
  /** The main package path (`path` line), e.g. `github.com/docker/cli/cmd/docker`. */
  packagePath?: string;
  main?: GoModule;
  deps: GoModule[];
  /** `build` settings: `GOOS`, `GOARCH`, `vcs.revision`, `-ldflags`... */
  build: Record<string, string>;
}

/** Parses the module text; unknown or malformed lines are skipped. */
export function toGoModInfo(text: string): GoModInfo {
  const info: GoModInfo = { deps: [], build: {} };
  let last: GoModule | undefined;
  for (const line of text.split("\n")) {
    const [key = "", ...fields] = line.split("\t");
    if (key === "path" && fields[0]) info.packagePath = fields[0];
    else if (key === "mod" || key === "dep") {
      last = toModule(fields);
      if (!last) continue;
      if (key === "mod") info.main = last;
      else info.deps.push(last);
    } else if (key === "=>" && last && !last.replace) {
      const replacement = toModule(fields);
      if (replacement) last.replace = replacement;
    } else if (key === "build" && fields.length > 0) {
      const setting = fields.join("\t");
      const eq = setting.indexOf("=");
      if (eq > 0) info.build[unquote(setting.slice(0, eq))] = unquote(setting.slice(eq + 1));
    }
  }
  return info;
}

function toModule(fields: string[]): GoModule | undefined {
  const [path, version = "", sum] = fields;
  if (!path) return undefined;
  return sum ? { path, version, sum } : { path, version };
}

/** debug.BuildInfo quotes keys and values holding spaces, tabs, quotes or `=` with strconv.Quote. */
function unquote(value: string): string {
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === "string" ? parsed : value;
  } catch {
    return value;
  }
}
