/** The login screen: an API key pasted here (or handed over as `#key=...`) is checked against /whoami before it is kept. */
import { type FormEvent, useId, useState } from "react";
import { ApiFailure, apiFetch, type WhoAmI } from "../api";
import { storeKey } from "../auth";

export function Login({ message, onSignedIn }: { message?: string; onSignedIn: (who: WhoAmI) => void }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | undefined>(message);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const candidate = key.trim();
    if (!candidate) {
      setError("Enter an API key.");
      return;
    }
    setBusy(true);
    try {
      const who = await apiFetch<WhoAmI>("/api/v1/whoami", { key: candidate });
      storeKey(candidate);
      onSignedIn(who);
    } catch (failure) {
      setError(
        failure instanceof ApiFailure && failure.status === 401
          ? "That key was refused: it is unknown, expired or revoked."
          : `Could not sign in: ${(failure as Error).message}`,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login" id="main">
      <form className="login-box" onSubmit={submit} aria-describedby={`${id}-help`}>
        <h1>Palisade</h1>
        <p id={`${id}-help`} className="muted">
          Sign in with an API key. <code>palisade up</code> prints a link that signs you in; an admin creates keys with{" "}
          <code>palisade keys create NAME --role viewer</code>.
        </p>
        {error && (
          <p className="state state-error" role="alert">
            {error}
          </p>
        )}
        <label htmlFor={`${id}-key`}>API key</label>
        <input
          id={`${id}-key`}
          name="key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={key}
          onChange={(e) => setKey(e.target.value)}
        />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Checking…" : "Sign in"}
        </button>
        <p className="muted small">
          The key stays in this browser tab only (session storage) and is sent only to this server.
        </p>
      </form>
    </main>
  );
}
