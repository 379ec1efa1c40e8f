/**
 * Where the dashboard keeps the caller's API key: sessionStorage of this tab, so it is gone when
 * the tab closes and never sent anywhere but the Authorization header of API calls. A key handed
 * over in the address (`/#key=pal_...`, as `palisade up` prints it) is read once and removed
 * from the address bar and history at once, so it does not linger in bookmarks or screenshots.
 */
const STORAGE_KEY = "palisade.apiKey";

export function storedKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function storeKey(key: string | null): void {
  try {
    if (key) sessionStorage.setItem(STORAGE_KEY, key);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage disabled: the key lives only as long as this page.
  }
}

/** Moves a `#key=...` from the address into storage; true when there was one. */
export function takeKeyFromAddress(): boolean {
  const hash = window.location.hash.replace(/^#\/?/, "");
  const params = new URLSearchParams(hash.includes("?") ? hash.slice(hash.indexOf("?") + 1) : hash);
  const key = params.get("key");
  if (!key) return false;
  storeKey(key.trim());
  params.delete("key");
  const route = hash.includes("?") ? hash.slice(0, hash.indexOf("?")) : "";
  const rest = params.toString();
  window.history.replaceState(null, "", `${window.location.pathname}#/${route}${rest ? `?${rest}` : ""}`);
  return true;
}
