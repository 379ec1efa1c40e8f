/** The language-package analyzers of the image scanner, in the order they run. */
import { goAnalyzer } from "./go.js";
import { javaAnalyzer } from "./java.js";
import { nodeAnalyzer } from "./node.js";
import { pythonAnalyzer } from "./python.js";

export { goAnalyzer, javaAnalyzer, nodeAnalyzer, pythonAnalyzer };

/** Every language analyzer; their `name`s are the ids (`python-dist`, `node-modules`, `go-binary`, `java-archive`). */
export const LANGUAGE_ANALYZERS = [pythonAnalyzer, nodeAnalyzer, goAnalyzer, javaAnalyzer] as const;
