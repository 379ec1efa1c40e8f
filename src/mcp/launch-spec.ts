/**
 * What a stdio MCP server's command line launches, read the way each launcher reads it: the
 * package an `npx`/`bunx`/`pnpm dlx`/`yarn dlx`/`npm exec` or `uvx`/`uv tool run`/`pipx run`
 * command fetches and whether its version is exact, the image a `docker`/`podman run` starts
 * and whether it is fixed by digest, the command a shell wrapper (`sh -c "..."`, `cmd /c ...`)
 * hides, and the URL an `mcp-remote` style bridge connects to. Pure: strings in, data out.
 */

/** A registry package fetched at launch. */
export interface LaunchedPackage {
  kind: "package";
  launcher: string;
  ecosystem: "npm" | "pypi";
  name: string;
  /** The version or range as written (`1.2.3`, `^1`, `latest`), when there is one. */
  version?: string;
  /** True when the version names exactly one release. */
  exact: boolean;
}

/** A container image run at launch. */
export interface LaunchedImage {
  kind: "image";
  launcher: string;
  /** The image without tag or digest (`ghcr.io/github/github-mcp-server`). */
  name: string;
  tag?: string;
  /** `sha256:...` when the reference is pinned by digest. */
  digest?: string;
}

/** What one command line launches, as far as it can be read. */
export interface LaunchSpec {
  target?: LaunchedPackage | LaunchedImage;
  /** The shell wrapper and the command line it runs, when the server is started through one. */
  shell?: { shell: string; script: string; encoded: boolean };
  /** A remote MCP URL the launched bridge connects to (`npx mcp-remote https://...`). */
  bridgeUrl?: string;
}

/** Executable name without folder and Windows extension: `C:\\x\\npx.cmd` → `npx`. */
export function baseCommand(command: string): string {
  const last = command.split(/[\\/]/).pop() ?? command;
  return last.replace(/\.(?:cmd|exe|bat|ps1)$/i, "").toLowerCase();
}

const SHELLS = new Set(["sh", "bash", "zsh", "dash", "ksh", "fish", "ash", "busybox", "cmd", "powershell", "pwsh"]);
/** The flag after which each kind of shell takes its script (`sh -c`, `bash -lc`, `cmd /c`, `pwsh -Command`). */
const POSIX_SCRIPT_FLAG = /^-[a-z]*c[a-z]*$/;
const CMD_SCRIPT_FLAG = /^\/[ck]$/i;
const POWERSHELL_SCRIPT_FLAG = /^-(?:c|command|e|ec|enc|encodedcommand)$/i;
const ENCODED_FLAG = /^-(?:e|ec|enc|encodedcommand)$/i;

function scriptFlag(shell: string): RegExp {
  if (shell === "cmd") return CMD_SCRIPT_FLAG;
  if (shell === "powershell" || shell === "pwsh") return POWERSHELL_SCRIPT_FLAG;
  return POSIX_SCRIPT_FLAG;
}

/** npm launchers: the subcommand words they take before the package (`pnpm dlx pkg`, `npm exec pkg`). */
const NPM_LAUNCHERS: Record<string, readonly string[]> = {
  npx: [],
  bunx: [],
  pnpx: [],
  pnpm: ["dlx", "exec"],
  yarn: ["dlx"],
  npm: ["exec", "x"],
  bun: ["x"],
};
/** npm launcher options that take a value (the value is not the package). */
const NPM_VALUE_OPTIONS = new Set(["--package", "-p", "--registry", "--cache", "--userconfig", "-c", "--call"]);
const PY_VALUE_OPTIONS = new Set([
  "--from",
  "--with",
  "-w",
  "--python",
  "-p",
  "--index",
  "--index-url",
  "--extra-index-url",
  "--spec",
  "--pip-args",
  "--with-requirements",
]);
/** `docker run` options that take a value, so their value is not mistaken for the image. */
const CONTAINER_VALUE_OPTIONS = new Set([
  "-e",
  "--env",
  "--env-file",
  "-v",
  "--volume",
  "--mount",
  "--name",
  "-p",
  "--publish",
  "--network",
  "--net",
  "-w",
  "--workdir",
  "-u",
  "--user",
  "--entrypoint",
  "-l",
  "--label",
  "--platform",
  "--pull",
  "--cpus",
  "-m",
  "--memory",
  "--add-host",
  "-h",
  "--hostname",
  "--cap-add",
  "--cap-drop",
  "--security-opt",
  "--device",
  "--tmpfs",
  "--ulimit",
  "--restart",
  "--runtime",
  "--ipc",
  "--pid",
  "--gpus",
  "--dns",
  "--log-driver",
  "--log-opt",
  "--shm-size",
  "--stop-signal",
  "--cidfile",
  "--group-add",
]);

/** `1.2.3`, `1.2.3-rc.1`, `v1.2.3`: one release. Ranges, tags (`latest`, `next`) and partial versions are not. */
const EXACT_NPM = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
/** PEP 440 release `1.2`, `1.2.3`, `2024.1.0.post1`: pinned with `==` (or uv's `@`). */
const EXACT_PEP440 = /^\d+(?:\.\d+)*(?:(?:a|b|rc|\.post|\.dev)\d+)*$/;

function npmSpec(launcher: string, spec: string): LaunchedPackage {
  // `@scope/name@1.2.3`: the version follows the second `@` of a scoped name.
  const at = spec.indexOf("@", spec.startsWith("@") ? 1 : 0);
  const name = at > 0 ? spec.slice(0, at) : spec;
  const version = at > 0 ? spec.slice(at + 1) : undefined;
  return {
    kind: "package",
    launcher,
    ecosystem: "npm",
    name,
    ...(version ? { version } : {}),
    exact: version !== undefined && EXACT_NPM.test(version),
  };
}

function pySpec(launcher: string, spec: string): LaunchedPackage | undefined {
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(?:(==|===|@|~=|>=|<=|!=|>|<)\s*(.+))?$/.exec(spec);
  if (!m?.[1]) return undefined;
  const op = m[2];
  const version = m[3]?.trim();
  return {
    kind: "package",
    launcher,
    ecosystem: "pypi",
    name: m[1],
    // An exact pin is its version (`1.2.3`); a range keeps its operator (`>=1.0`).
    ...(version ? { version: `${op === "@" || op === "==" || op === "===" ? "" : op}${version}` } : {}),
    exact: (op === "==" || op === "===" || op === "@") && version !== undefined && EXACT_PEP440.test(version),
  };
}

/** The first argument that is not an option or an option's value. */
function firstPositional(args: readonly string[], valueOptions: ReadonlySet<string>, from = 0): number {
  for (let i = from; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--") return i + 1 < args.length ? i + 1 : -1;
    if (arg.startsWith("-")) {
      if (!arg.includes("=") && valueOptions.has(arg)) i++;
      continue;
    }
    return i;
  }
  return -1;
}

function optionValue(args: readonly string[], names: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    for (const name of names) {
      if (arg === name) return args[i + 1];
      if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
    }
  }
  return undefined;
}

function imageRef(launcher: string, ref: string): LaunchedImage {
  const at = ref.indexOf("@");
  const digest = at > 0 ? ref.slice(at + 1) : undefined;
  const rest = at > 0 ? ref.slice(0, at) : ref;
  const colon = rest.lastIndexOf(":");
  const hasTag = colon > rest.lastIndexOf("/");
  return {
    kind: "image",
    launcher,
    name: hasTag ? rest.slice(0, colon) : rest,
    ...(hasTag ? { tag: rest.slice(colon + 1) } : {}),
    ...(digest ? { digest } : {}),
  };
}

function packageOf(bin: string, args: readonly string[]): LaunchedPackage | LaunchedImage | undefined {
  const words = NPM_LAUNCHERS[bin];
  if (words) {
    let from = 0;
    if (words.length > 0) {
      const sub = firstPositional(args, NPM_VALUE_OPTIONS);
      if (sub < 0 || !words.includes(args[sub] ?? "")) return undefined;
      from = sub + 1;
    }
    // `npx -p pkg@1 bin` / `npm exec --package=pkg@1 -- bin`: the package option wins.
    const pkg = optionValue(args.slice(from), ["--package", "-p"]);
    if (pkg) return npmSpec(bin, pkg);
    const at = firstPositional(args, NPM_VALUE_OPTIONS, from);
    return at < 0 ? undefined : npmSpec(bin, args[at] ?? "");
  }
  if (bin === "uvx" || bin === "uv" || bin === "pipx") {
    let from = 0;
    if (bin !== "uvx") {
      const sub = firstPositional(args, PY_VALUE_OPTIONS);
      const word = args[sub] ?? "";
      if (bin === "uv" && word === "tool" && args[sub + 1] === "run") from = sub + 2;
      else if (bin === "pipx" && word === "run") from = sub + 1;
      else return undefined;
    }
    const named = optionValue(args.slice(from), bin === "pipx" ? ["--spec"] : ["--from"]);
    if (named) return pySpec(bin, named);
    const at = firstPositional(args, PY_VALUE_OPTIONS, from);
    return at < 0 ? undefined : pySpec(bin, args[at] ?? "");
  }
  if (bin === "docker" || bin === "podman" || bin === "nerdctl") {
    let sub = firstPositional(args, new Set(["--context", "-c", "-H", "--host", "--config", "--log-level"]));
    if (args[sub] === "container") sub += 1;
    if (args[sub] !== "run") return undefined;
    const at = firstPositional(args, CONTAINER_VALUE_OPTIONS, sub + 1);
    return at < 0 ? undefined : imageRef(bin, args[at] ?? "");
  }
  return undefined;
}

/**
 * Split a shell command line into commands of words: whitespace outside quotes separates words,
 * single and double quotes group, and `&&`, `||`, `;`, `|` and `&` separate commands.
 */
export function splitCommands(line: string): string[][] {
  const commands: string[][] = [[]];
  let word = "";
  let quote: string | undefined;
  let started = false;
  const endWord = () => {
    if (started) commands[commands.length - 1]?.push(word);
    word = "";
    started = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (/\s/.test(c)) endWord();
    else if (c === ";" || c === "|" || c === "&") {
      endWord();
      if (line[i + 1] === c) i++;
      if ((commands[commands.length - 1]?.length ?? 0) > 0) commands.push([]);
    } else {
      word += c;
      started = true;
    }
  }
  endWord();
  return commands.filter((c) => c.length > 0);
}

/** The words of the first command of a shell command line. */
export function splitCommandLine(line: string): string[] {
  return splitCommands(line)[0] ?? [];
}

/** Read what a server's command line launches. Wrappers are followed one level. */
export function readLaunch(command: string, args: readonly string[]): LaunchSpec {
  const bin = baseCommand(command);
  if (SHELLS.has(bin)) {
    // `busybox sh -c ...` is sh.
    const shellArgs = bin === "busybox" && args[0] === "sh" ? args.slice(1) : args;
    const flagPattern = scriptFlag(bin);
    const flag = shellArgs.findIndex((a) => flagPattern.test(a));
    // A POSIX shell runs the one argument after -c (the rest are $0, $1...); cmd and PowerShell the rest.
    const posix = flagPattern === POSIX_SCRIPT_FLAG;
    const script =
      flag < 0 ? undefined : posix ? shellArgs[flag + 1] : shellArgs.slice(flag + 1).join(" ") || undefined;
    if (script !== undefined) {
      const encoded = (bin === "powershell" || bin === "pwsh") && ENCODED_FLAG.test(shellArgs[flag] ?? "");
      // The first command that launches something (`cd dir && npx -y pkg` launches pkg).
      const launched = (encoded ? [] : splitCommands(script))
        .map(([first, ...rest]) => (first && !SHELLS.has(baseCommand(first)) ? readLaunch(first, rest) : {}))
        .find((l) => l.target !== undefined);
      return { ...launched, shell: { shell: bin, script, encoded } };
    }
    return {};
  }
  const target = packageOf(bin, args);
  const spec: LaunchSpec = target ? { target } : {};
  if (target?.kind === "package" && /(?:^|\/)mcp-remote$|^supergateway$/.test(target.name)) {
    const url = args.find((a) => /^https?:\/\//i.test(a));
    if (url) spec.bridgeUrl = url;
  }
  return spec;
}
