/**
 * The dashboard shell: who is signed in (or the login screen), the main navigation and the page
 * for the current route. A key in the address (`#key=...`) is taken first; when /whoami answers
 * without a key, the server runs without authentication and no login is needed.
 */
import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import { ApiFailure, apiFetch, setUnauthenticatedHandler, type WhoAmI } from "./api";
import { storedKey, storeKey, takeKeyFromAddress } from "./auth";
import { Loading } from "./components/states";
import { ActivityPage } from "./pages/activity";
import { CompliancePage } from "./pages/compliance";
import { FindingsPage } from "./pages/findings";
import { IncidentsPage } from "./pages/incidents";
import { InventoryPage } from "./pages/inventory";
import { Login } from "./pages/login";
import { OverviewPage } from "./pages/overview";
import { PolicyPage } from "./pages/policy";
import { href, type Location, pathToHash, useLocation } from "./router";

export interface PageProps {
  location: Location;
  who: WhoAmI;
}

const PAGES: readonly { id: string; title: string; render: (props: PageProps) => ReactNode }[] = [
  { id: "overview", title: "Overview", render: (p) => <OverviewPage {...p} /> },
  { id: "inventory", title: "Inventory", render: (p) => <InventoryPage {...p} /> },
  { id: "findings", title: "Findings", render: (p) => <FindingsPage {...p} /> },
  { id: "activity", title: "AI activity", render: (p) => <ActivityPage {...p} /> },
  { id: "incidents", title: "Incidents", render: (p) => <IncidentsPage {...p} /> },
  { id: "policy", title: "Policy", render: (p) => <PolicyPage {...p} /> },
  { id: "compliance", title: "Compliance", render: (p) => <CompliancePage {...p} /> },
];

type Session =
  | { state: "checking" }
  | { state: "login"; message?: string }
  | { state: "failed"; message: string }
  | { state: "ready"; who: WhoAmI; withKey: boolean };

export function App() {
  const [session, setSession] = useState<Session>({ state: "checking" });

  const check = useCallback(async () => {
    const key = storedKey();
    try {
      const who = await apiFetch<WhoAmI>("/api/v1/whoami", { key });
      setSession({ state: "ready", who, withKey: key !== null });
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 401) {
        storeKey(null);
        setSession({
          state: "login",
          ...(key ? { message: "That key was refused: it is unknown, expired or revoked." } : {}),
        });
      } else setSession({ state: "failed", message: (error as Error).message });
    }
  }, []);

  useEffect(() => {
    pathToHash();
    takeKeyFromAddress();
    void check();
    setUnauthenticatedHandler(() => {
      storeKey(null);
      setSession({ state: "login", message: "Your key is no longer accepted: sign in again." });
    });
    return () => setUnauthenticatedHandler(undefined);
  }, [check]);

  if (session.state === "checking") return <Loading what="Palisade" />;
  if (session.state === "failed")
    return (
      <main className="login" id="main">
        <div className="state state-error" role="alert">
          <p>The Palisade server did not answer: {session.message}</p>
          <button type="button" onClick={() => void check()}>
            Try again
          </button>
        </div>
      </main>
    );
  if (session.state === "login")
    return (
      <Login
        {...(session.message ? { message: session.message } : {})}
        onSignedIn={(who) => setSession({ state: "ready", who, withKey: true })}
      />
    );
  return (
    <Shell
      who={session.who}
      onSignOut={
        session.withKey
          ? () => {
              storeKey(null);
              setSession({ state: "login" });
            }
          : undefined
      }
    />
  );
}

function Shell({ who, onSignOut }: { who: WhoAmI; onSignOut: (() => void) | undefined }) {
  const location = useLocation();
  const page = PAGES.find((p) => p.id === (location.path[0] ?? "overview"));
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  const title = page?.title ?? "Not found";

  // On a change of page (not of filters), move focus to the page so keyboard and screen-reader users start there.
  useEffect(() => {
    document.title = `${title} · Palisade`;
    if (first.current) first.current = false;
    else main.current?.focus();
  }, [title]);

  return (
    <div className="shell">
      <button type="button" className="skip-link" onClick={() => main.current?.focus()}>
        Skip to content
      </button>
      <header className="topbar">
        <a className="brand" href={href("overview")}>
          <img src="/favicon.svg" alt="" width="22" height="22" /> Palisade
        </a>
        <div className="who" data-who={who.name}>
          <span>{who.name}</span>
          <span className="badge role">{who.admin ? "admin" : who.roles.join(", ") || "no role"}</span>
          {onSignOut && (
            <button type="button" onClick={onSignOut}>
              Sign out
            </button>
          )}
        </div>
      </header>
      <nav className="sidenav" aria-label="Main">
        <ul>
          {PAGES.map((p) => (
            <li key={p.id}>
              <a href={href(p.id)} aria-current={p.id === page?.id ? "page" : undefined}>
                {p.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={main} tabIndex={-1} className="content">
        {page ? (
          page.render({ location, who })
        ) : (
          <div>
            <h1>Not found</h1>
            <p>
              There is no page here. <a href={href("overview")}>Go to the overview</a>.
            </p>
          </div>
        )}
      </main>
    </div>
  );
}
