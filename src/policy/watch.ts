/**
 * A hot-reloadable policy: the compiled policy in use, swapped atomically when the files change
 * (fs.watch) or when reload() is called (the composition root wires SIGHUP to it). A bad new
 * policy is rejected and the old one stays, so traffic never runs without a policy.
 */
import { type FSWatcher, watch } from "node:fs";
import { basename, dirname } from "node:path";
import { type CompiledPolicy, compilePolicy } from "./evaluate.js";
import { loadPolicyFiles } from "./load.js";

export interface PolicyHolder {
  current(): CompiledPolicy;
  /** Load and compile the files again; on failure keep the current policy and return the error. */
  reload(): { ok: true } | { ok: false; error: unknown };
  close(): void;
}

export interface PolicyHolderOptions {
  files: readonly string[];
  /** Watch the files and reload on change (default false). */
  watch?: boolean;
  onReload?: (policy: CompiledPolicy) => void;
  onError?: (error: unknown) => void;
  /** Wait this long after the last change before reloading (editors write in several steps). */
  debounceMs?: number;
}

export function createPolicyHolder(options: PolicyHolderOptions): PolicyHolder {
  // The first load throws: starting without a valid policy is a configuration error.
  let policy = compilePolicy(loadPolicyFiles(options.files));
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;

  const reload = (): { ok: true } | { ok: false; error: unknown } => {
    try {
      policy = compilePolicy(loadPolicyFiles(options.files));
      options.onReload?.(policy);
      return { ok: true };
    } catch (error) {
      options.onError?.(error);
      return { ok: false, error };
    }
  };

  if (options.watch) {
    const names = new Set(options.files.map((f) => basename(f)));
    // Watch the folders: editors and ConfigMap updates replace files rather than write in place.
    for (const dir of new Set(options.files.map((f) => dirname(f)))) {
      const watcher = watch(dir, (_event, name) => {
        if (name && !names.has(name.toString()) && !name.toString().startsWith("..")) return;
        clearTimeout(timer);
        timer = setTimeout(reload, options.debounceMs ?? 100);
      });
      watcher.on("error", (error) => options.onError?.(error));
      watchers.push(watcher);
    }
  }

  return {
    current: () => policy,
    reload,
    close() {
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
