/**
 * Cursor pagination: a list is ordered by (sort key, id), newest or largest first, and the
 * cursor is the last row's pair, opaque to clients (base64url JSON). Keyset paging stays fast at
 * any depth (no OFFSET) and stable while rows are added in front of the reader.
 */
import { z } from "zod";
import { ApiError } from "./errors.js";

export const MAX_PAGE = 500;
export const DEFAULT_PAGE = 50;

export interface CursorPosition {
  /** The sort key of the last row returned (a time, a rank, a name). */
  key: number;
  id: string;
}

/** Every list pages on a number (a time) and an id. */
const PositionSchema = z.tuple([z.number().finite(), z.string().min(1).max(1000)]);

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.key, position.id])).toString("base64url");
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const [key, id] = PositionSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return { key, id };
  } catch {
    throw new ApiError("bad_request", "cursor: not a cursor this API returned");
  }
}

/** The query parameters of every list. */
export const PageQuery = {
  cursor: z.string().max(2048).optional().describe("`nextCursor` of the previous page"),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(DEFAULT_PAGE).describe("rows per page"),
};

/** A page of rows: one more than asked for was fetched to know whether another page exists. */
export function page<T>(
  rows: readonly T[],
  limit: number,
  position: (row: T) => CursorPosition,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(position(last)) : null };
}

/** The answer schema of a list of `item`. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
