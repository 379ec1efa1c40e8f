/**
 * Container signatures, as data: every archive or compressed stream is recognised by its magic
 * bytes, whatever the file is called, so none is skipped because of its name.
 */

/** Containers the scanner recognises; `opened` says whether it reads inside them. */
export const CONTAINER_KINDS = ["zip", "tar", "gzip", "zlib", "7z", "rar", "xz", "bzip2", "zstd", "lz4"] as const;
export type ContainerKind = (typeof CONTAINER_KINDS)[number];

interface Signature {
  kind: ContainerKind;
  /** Bytes at offset 0 (RFC or vendor spec cited per entry). */
  magic: readonly number[];
  /** Name used in findings and docs. */
  label: string;
}

/** Signatures checked here; zip, tar, gzip and zlib have their own checks in their readers. */
const SIGNATURES: readonly Signature[] = [
  // 7z format (7-Zip DOC/7zFormat.txt): '7' 'z' BC AF 27 1C.
  { kind: "7z", magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], label: "7z" },
  // RAR 1.5–4 and 5 share "Rar!\x1a\x07".
  { kind: "rar", magic: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], label: "RAR" },
  // xz (tukaani .xz file format 1.0.4): FD '7zXZ' 00.
  { kind: "xz", magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], label: "xz" },
  // bzip2: "BZh" and a block size digit 1–9, checked below.
  { kind: "bzip2", magic: [0x42, 0x5a, 0x68], label: "bzip2" },
  // Zstandard frame (RFC 8878 §3.1.1): 28 B5 2F FD.
  { kind: "zstd", magic: [0x28, 0xb5, 0x2f, 0xfd], label: "zstd" },
  // LZ4 frame format: 04 22 4D 18.
  { kind: "lz4", magic: [0x04, 0x22, 0x4d, 0x18], label: "LZ4" },
];

/** The container `head` starts with, among the signatures above. */
export function sniffContainer(head: Uint8Array): Signature | undefined {
  for (const sig of SIGNATURES) {
    if (sig.magic.every((b, i) => head[i] === b)) {
      if (sig.kind === "bzip2" && !((head[3] ?? 0) >= 0x31 && (head[3] ?? 0) <= 0x39)) continue;
      return sig;
    }
  }
  return undefined;
}
