/**
 * Package URLs (purl-spec / ECMA-427, https://github.com/package-url/purl-spec). A small builder
 * of our own: `packageurl-js` would do the same but is not a dependency, and package.json is not
 * changed for it. Canonical form per the spec: components percent-encoded except the unreserved
 * set and `:` ("the colon shall not be percent-encoded, whether used as a separator or
 * otherwise"), so `+` is `%2B` while an epoch stays `1:2.38`; qualifiers sorted by key.
 */

/** The parts of a package URL; qualifiers with an empty or missing value are left out. */
export interface PurlParts {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers?: Readonly<Record<string, string | undefined>>;
}

/** Percent-encodes one component: all but A-Z a-z 0-9 `.-_~` and `:`. */
export function encodePurlComponent(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%3A/g, ":");
}

/** The canonical package URL string for `parts`. */
export function toPurl(parts: PurlParts): string {
  let purl = `pkg:${parts.type.toLowerCase()}/`;
  const segments = (parts.namespace ?? "").split("/").filter((s) => s !== "");
  for (const segment of segments) purl += `${encodePurlComponent(segment)}/`;
  purl += encodePurlComponent(parts.name);
  if (parts.version) purl += `@${encodePurlComponent(parts.version)}`;
  const qualifiers = Object.entries(parts.qualifiers ?? {})
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== "")
    .map(([key, value]) => [key.toLowerCase(), value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (qualifiers.length > 0) {
    purl += `?${qualifiers.map(([key, value]) => `${key}=${encodePurlComponent(value)}`).join("&")}`;
  }
  return purl;
}
