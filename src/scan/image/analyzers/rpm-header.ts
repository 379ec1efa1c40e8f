/**
 * RPM header blobs as rpm stores them in its database (rpm's lib/header.c format, without the
 * lead and the 8-byte header magic): big-endian `il` (index entries) and `dl` (data bytes), `il`
 * 16-byte entries (tag, type, offset, count), then the data store. Every offset is checked
 * against the store, so a corrupt or hostile blob gives an error result, never an exception.
 */

/** The header tags a package scanner needs (rpmtag.h). */
export const RPM_TAG = {
  name: 1000,
  version: 1001,
  release: 1002,
  epoch: 1003,
  license: 1014,
  arch: 1022,
  sourceRpm: 1044,
} as const;

/** Data types of header entries (rpmtag.h `rpmTagType`). */
export const RPM_TYPE = { int32: 4, string: 6, bin: 7, stringArray: 8, i18nString: 9 } as const;

/** rpm's own bounds (hdrchkTags / hdrchkData) are of this order; nothing real comes near. */
export const MAX_HEADER_ENTRIES = 10_000;
export const MAX_HEADER_DATA_BYTES = 64 * 1024 * 1024;
const PREAMBLE_BYTES = 8;
const ENTRY_BYTES = 16;

/** What a package header says about the package. */
export interface RpmHeader {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  arch?: string;
  license?: string;
  sourceRpm?: string;
}

/** A decoded header, or why the blob is not one. */
export type RpmHeaderResult = { header: RpmHeader } | { error: string };

interface Entry {
  type: number;
  offset: number;
  count: number;
}

/** Decodes the tags of RpmHeader from one header blob. */
export function toRpmHeader(blob: Uint8Array): RpmHeaderResult {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (bytes.length < PREAMBLE_BYTES) return { error: `header of ${bytes.length} bytes is shorter than its preamble` };
  const il = bytes.readUInt32BE(0);
  const dl = bytes.readUInt32BE(4);
  if (il === 0 || il > MAX_HEADER_ENTRIES) return { error: `header claims ${il} index entries` };
  if (dl > MAX_HEADER_DATA_BYTES) return { error: `header claims ${dl} data bytes` };
  const storeStart = PREAMBLE_BYTES + il * ENTRY_BYTES;
  if (bytes.length < storeStart + dl) {
    return { error: `header truncated: ${bytes.length} bytes, ${storeStart + dl} needed` };
  }
  const store = bytes.subarray(storeStart, storeStart + dl);
  const wanted = new Set<number>(Object.values(RPM_TAG));
  const entries = new Map<number, Entry>();
  for (let i = 0; i < il; i++) {
    const at = PREAMBLE_BYTES + i * ENTRY_BYTES;
    const tag = bytes.readInt32BE(at);
    if (!wanted.has(tag) || entries.has(tag)) continue;
    entries.set(tag, {
      type: bytes.readUInt32BE(at + 4),
      offset: bytes.readInt32BE(at + 8),
      count: bytes.readUInt32BE(at + 12),
    });
  }
  const strings = new Map<number, string>();
  for (const tag of [
    RPM_TAG.name,
    RPM_TAG.version,
    RPM_TAG.release,
    RPM_TAG.arch,
    RPM_TAG.license,
    RPM_TAG.sourceRpm,
  ]) {
    const entry = entries.get(tag);
    if (!entry) continue;
    const value = readString(store, entry);
    if (typeof value !== "string") return { error: `tag ${tag}: ${value.error}` };
    strings.set(tag, value);
  }
  const name = strings.get(RPM_TAG.name);
  const version = strings.get(RPM_TAG.version);
  const release = strings.get(RPM_TAG.release);
  if (!name || !version || !release) return { error: "header lacks NAME, VERSION or RELEASE" };
  const header: RpmHeader = { name, version, release };
  const epochEntry = entries.get(RPM_TAG.epoch);
  if (epochEntry) {
    const epoch = readInt32(store, epochEntry);
    if (typeof epoch !== "number") return { error: `tag ${RPM_TAG.epoch}: ${epoch.error}` };
    header.epoch = epoch;
  }
  const arch = strings.get(RPM_TAG.arch);
  const license = strings.get(RPM_TAG.license);
  const sourceRpm = strings.get(RPM_TAG.sourceRpm);
  if (arch) header.arch = arch;
  if (license) header.license = license;
  if (sourceRpm) header.sourceRpm = sourceRpm;
  return { header };
}

/** The (first) string of a STRING, STRING_ARRAY or I18NSTRING entry. */
function readString(store: Buffer, entry: Entry): string | { error: string } {
  const { type, offset, count } = entry;
  if (type !== RPM_TYPE.string && type !== RPM_TYPE.stringArray && type !== RPM_TYPE.i18nString) {
    return { error: `type ${type} where a string belongs` };
  }
  if (count < 1) return { error: "string entry with count 0" };
  if (offset < 0 || offset >= store.length) return { error: `offset ${offset} outside ${store.length} data bytes` };
  const end = store.indexOf(0, offset);
  if (end < 0) return { error: "string runs past the data store" };
  return store.toString("utf8", offset, end);
}

/** The first value of an INT32 entry (EPOCH is a non-negative int32). */
function readInt32(store: Buffer, entry: Entry): number | { error: string } {
  const { type, offset, count } = entry;
  if (type !== RPM_TYPE.int32) return { error: `type ${type} where an int32 belongs` };
  if (count < 1) return { error: "int32 entry with count 0" };
  if (offset < 0 || offset + 4 > store.length) return { error: `offset ${offset} outside ${store.length} data bytes` };
  const value = store.readInt32BE(offset);
  return value < 0 ? { error: `negative value ${value}` } : value;
}
