/** URLs in messages and logs without their credentials. */

/**
 * `scheme://user:secret@host/...` → `scheme://user:***@host/...`. Falls back to a pattern when
 * the text is not a URL the WHATWG parser accepts (`mysql:/u:pw@h`), so a malformed URL given by
 * a user is never echoed with its password.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) {
      parsed.password = "***";
      return parsed.toString();
    }
  } catch {
    // Not a WHATWG URL: the pattern below still finds `user:password@`.
  }
  // Also for parsed URLs: a non-special scheme (`mysql:/u:pw@h`) keeps its user info in the path.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/*)([^/@\s]*)@/i, (_, scheme: string, userinfo: string) => {
    const user = userinfo.split(":")[0] ?? "";
    return userinfo.includes(":") ? `${scheme}${user}:***@` : `${scheme}${user}@`;
  });
}
