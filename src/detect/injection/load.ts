/**
 * Start-up loading of the shipped (or user-supplied) rule pack and model. This is the only
 * file of the detector that reads files; call it once from a composition root.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PalisadeError } from "../../core/index.js";
import { createInjectionDetector, type InjectionDetector, type InjectionDetectorOptions } from "./detector.js";
import { type LinearModel, parseInjectionModel } from "./model.js";
import {
  type CompiledInjectionRule,
  compileInjectionRules,
  type InjectionRulePack,
  parseInjectionRulePack,
  ruleFileError,
} from "./rules.js";

/** File name of the shipped model under the rules directory. */
export const INJECTION_MODEL_FILE = "model/injection-classifier.json";
/** File name of the shipped document-mode span model under the rules directory. */
export const DOCUMENT_MODEL_FILE = "model/document-span-classifier.json";

/** The shipped `rules/injection` directory, found by walking up from this file (works from src/ and dist/). */
export function defaultInjectionRulesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, "rules", "injection");
    if (existsSync(join(candidate, "instruction-override.yaml"))) return candidate;
    dir = dirname(dir);
  }
  throw new PalisadeError("internal", "cannot find the shipped rules/injection directory");
}

/** Read and compile every `*.yaml` rule pack in the given directories (default: the shipped pack). */
export function loadInjectionRules(dirs: readonly string[] = [defaultInjectionRulesDir()]): CompiledInjectionRule[] {
  const packs: { pack: InjectionRulePack; file: string }[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith(".yaml") || n.endsWith(".yml"));
    } catch (cause) {
      throw ruleFileError(dir, cause);
    }
    for (const name of names.sort()) {
      const file = resolve(dir, name);
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (cause) {
        throw ruleFileError(file, cause);
      }
      packs.push({ pack: parseInjectionRulePack(text, file), file });
    }
  }
  return compileInjectionRules(packs);
}

/** Read a model file (default: the shipped one). */
export function loadInjectionModel(file: string = join(defaultInjectionRulesDir(), INJECTION_MODEL_FILE)): LinearModel {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    throw new PalisadeError("bad-config", `${file}: cannot read injection model`, { input: file, cause });
  }
  return parseInjectionModel(value, file);
}

/** Read the document-mode span model (default: the shipped one). */
export function loadDocumentModel(file: string = join(defaultInjectionRulesDir(), DOCUMENT_MODEL_FILE)): LinearModel {
  return loadInjectionModel(file);
}

/** Options for the default detector: extra rule directories, another model, detector settings. */
export interface DefaultInjectionDetectorOptions extends Omit<InjectionDetectorOptions, "rules" | "model"> {
  /** Rule directories added to the shipped pack. */
  extraRuleDirs?: readonly string[];
  /** Model file to use instead of the shipped one; `false` runs on rules alone. */
  modelFile?: string | false;
  /**
   * Document mode's span model: `true` the shipped one, or a file. Absent, document mode scores
   * windows of the user-mode classifier: the span model finds far more hidden instructions in
   * held-out documents, but it also flags clean documents written to a person (13% of our own
   * clean fixtures against 0%), so it is opt-in until that is fixed (docs/detectors-injection.md).
   */
  documentModelFile?: string | true;
}

/** The shipped rule pack plus the shipped model, ready to use. */
export function createDefaultInjectionDetector(options: DefaultInjectionDetectorOptions = {}): InjectionDetector {
  const { extraRuleDirs = [], modelFile, documentModelFile, ...rest } = options;
  const rules = loadInjectionRules([defaultInjectionRulesDir(), ...extraRuleDirs]);
  const model = modelFile === false ? undefined : loadInjectionModel(modelFile ?? undefined);
  const documentModel =
    documentModelFile === undefined || modelFile === false
      ? undefined
      : loadDocumentModel(documentModelFile === true ? undefined : documentModelFile);
  return createInjectionDetector({
    ...rest,
    rules,
    ...(model ? { model } : {}),
    ...(documentModel ? { documentModel } : {}),
  });
}
