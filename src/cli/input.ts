/** Reading command input: `--text`, a file, or `-` for stdin, with a size limit. */
import { readFileSync, statSync } from "node:fs";
import { PalisadeError } from "../core/index.js";

/** Inputs larger than this are refused rather than read into memory (64 MiB). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export interface TextInput {
  text: string;
  source: string;
}

export async function readTextInput(options: {
  text?: string | undefined;
  file?: string | undefined;
}): Promise<TextInput> {
  if (options.text !== undefined && options.file !== undefined) {
    throw new PalisadeError("bad-usage", "give either --text or a FILE, not both");
  }
  if (options.text !== undefined) return { text: options.text, source: "--text" };
  if (options.file === undefined || options.file === "-") return { text: await readStdin(), source: "stdin" };
  return { text: readFileText(options.file), source: options.file };
}

/** Read a UTF-8 file for a command, with a clear error and the size limit. */
export function readFileText(file: string): string {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new PalisadeError("bad-input", `not a file: ${file}`, { input: file });
    size = stat.size;
  } catch (cause) {
    if (cause instanceof PalisadeError) throw cause;
    throw new PalisadeError(
      "bad-input",
      `cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`,
      {
        input: file,
        cause,
      },
    );
  }
  if (size > MAX_INPUT_BYTES) {
    throw new PalisadeError("bad-input", `${file} is ${size} bytes; the limit is ${MAX_INPUT_BYTES}`, { input: file });
  }
  return readFileSync(file, "utf8");
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_INPUT_BYTES) {
      throw new PalisadeError("bad-input", `stdin is larger than ${MAX_INPUT_BYTES} bytes`, { input: "stdin" });
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
