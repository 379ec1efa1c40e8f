/**
 * Hash routing: `#/findings?severity=high` is the findings page with its filters, so every view
 * is a link (bookmarkable, opens in a new tab, works with Back) and the server needs no route
 * table of its own. A plain path (`/incidents`, served as index.html) is moved into the hash.
 */
import { useEffect, useState } from "react";

export interface Location {
  /** Path segments after `#/`, decoded. */
  path: string[];
  query: URLSearchParams;
}

export function parseHash(hash: string): Location {
  const body = hash.replace(/^#\/?/, "");
  const at = body.indexOf("?");
  const pathPart = at < 0 ? body : body.slice(0, at);
  const path = pathPart
    .split("/")
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  return { path, query: new URLSearchParams(at < 0 ? "" : body.slice(at + 1)) };
}

/** A link target: `#/a/b?k=v`, leaving out empty query values. */
export function href(path: string | readonly string[], query: Record<string, string | undefined | null> = {}): string {
  const segments = typeof path === "string" ? path.split("/").filter(Boolean) : path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const qs = params.toString();
  return `#/${segments.map(encodeURIComponent).join("/")}${qs ? `?${qs}` : ""}`;
}

export function navigate(target: string): void {
  window.location.hash = target.replace(/^#/, "");
}

/** Turns a deep path the server answered with index.html into the same route in the hash. */
export function pathToHash(): void {
  const { pathname, hash } = window.location;
  if (pathname !== "/" && pathname !== "/index.html" && !hash)
    window.history.replaceState(null, "", `/#${pathname}${window.location.search}`);
}

export function useLocation(): Location {
  const [location, setLocation] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const update = () => setLocation(parseHash(window.location.hash));
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return location;
}
