/**
 * The dashboard in a real browser (Debian's chromium driven by playwright-core) against
 * `palisade up --demo`, started once for the file: every page shows the values the API reports
 * for what the demo recorded (the scans of examples/, the sample traffic through the gateway, the
 * incident it opened), filters narrow tables, the incident graph draws the trace's nodes, prompt
 * text is for admins only, and the keyboard reaches everything. Expected values come from the
 * API, not from this file. Each page's screenshot (1366×768) goes to docs/images.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { type DashboardServer, startDashboardServer } from "./helpers/dashboard-server.js";
import { type RunningUp, startPalisadeUp } from "./helpers/palisade-up.js";

const CHROMIUM = "/usr/bin/chromium";
const IMAGES = fileURLToPath(new URL("../docs/images", import.meta.url));
const VIEWPORT = { width: 1366, height: 768 };
// Locally without Debian's chromium the suite says why it is skipped; CI installs it and never skips.
const skip =
  !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} is not installed (apt-get install chromium)` : false;

/** `s` as a regular expression matching it literally. */
const literally = (s: string) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));

interface Page_<T> {
  items: T[];
  nextCursor: string | null;
}

describe("dashboard in a browser", { skip, timeout: 300_000 }, () => {
  let server: DashboardServer;
  let openUp: RunningUp;
  let browser: Browser;
  /** Script errors, CSP violations and console errors of every page opened, checked at the end. */
  const problems: string[] = [];

  async function api<T>(path: string, key = server.adminKey): Promise<T> {
    const response = await fetch(`${server.url}/api/v1/${path}`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(response.status, 200, `${path}: ${response.status}`);
    return (await response.json()) as T;
  }
  /** A fresh browser context (own session storage) signed in with `key`, showing `route` once its data is there. */
  async function open(key: string | null, route = ""): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      // A 401/404 answer is logged by the browser itself; the pages handle those on purpose.
      if (message.type() === "error" && !/Failed to load resource/.test(message.text()))
        problems.push(`console: ${message.text()}`);
    });
    await page.addInitScript({
      content: `document.addEventListener("securitypolicyviolation", (e) =>
        console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI));`,
    });
    await page.goto(`${server.url}/${key ? `#key=${encodeURIComponent(key)}` : ""}`);
    if (key) {
      await page.locator("nav[aria-label=Main]").waitFor();
      if (route) await go(page, route);
    }
    return page;
  }

  /** Page code in this file is written as strings: the test's tsconfig has no DOM library. */
  async function go(page: Page, route: string): Promise<void> {
    await page.evaluate(`window.location.hash = ${JSON.stringify(`#/${route}`)}`);
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    await page.evaluate("document.fonts.ready.then(() => true)");
    await page.screenshot({ path: join(IMAGES, `dashboard-${name}.png`) });
  }

  /**
   * Waits until `selector` matches exactly `n` elements and nothing is marked busy. Polled from
   * here: waitForFunction evaluates strings with eval, which the dashboard's CSP rightly refuses.
   */
  async function waitForCount(page: Page, selector: string, n: number): Promise<void> {
    const deadline = Date.now() + 10_000;
    let found = -1;
    while (Date.now() < deadline) {
      found = await page.locator(selector).count();
      if (found === n && (await page.locator("[aria-busy=true]").count()) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail(`${selector}: expected ${n}, found ${found}`);
  }

  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText (the visible text), not the DOM property.
  const text = async (page: Page, selector: string) => (await page.locator(selector).first().innerText()).trim();

  before(async () => {
    mkdirSync(IMAGES, { recursive: true });
    // Side by side: the demo, a second `up` without authentication on an empty store (an
    // upstream it never calls), and the browser.
    const started = await Promise.allSettled([
      startDashboardServer(),
      startPalisadeUp(["--no-auth", "--upstream", "http://127.0.0.1:9", "--mcp-listen", "127.0.0.1:0"]),
      chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        // Playwright gives every launch a new, empty profile directory of its own.
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
      }),
    ]);
    const [demo, noAuth, launched] = started;
    if (demo.status === "fulfilled") server = demo.value;
    if (noAuth.status === "fulfilled") openUp = noAuth.value;
    if (launched.status === "fulfilled") browser = launched.value;
    for (const s of started) if (s.status === "rejected") throw s.reason;
  });
  after(async () => {
    await browser?.close();
    await openUp?.stop();
    await server?.close();
  });

  /** The incident the demo's six blocked injections from one key open. */
  async function jailbreakIncident() {
    const list = await api<Page_<{ id: string; ruleId: string; summary: { groupedBy: string[] } }>>("incidents");
    const incident = list.items.find((i) => i.ruleId === "repeated-jailbreaks");
    assert.ok(incident, "the demo's repeated prompt injections opened an incident");
    return incident;
  }

  interface TraceNode {
    id: string;
    label: string;
    type: string;
    inIncident?: boolean;
    detail?: Record<string, unknown>;
  }

  it("takes the key from the address once, keeps it in session storage and removes it from the address bar", async () => {
    const me = await api<{ name: string; admin: boolean }>("whoami");
    assert.ok(me.admin);
    const page = await open(server.adminKey);
    assert.ok(!page.url().includes(server.adminKey), page.url());
    assert.ok(!page.url().includes("key="), page.url());
    assert.equal(await page.evaluate("sessionStorage.getItem('palisade.apiKey')"), server.adminKey);
    assert.match(await text(page, ".who"), literally(me.name));
    await page.reload();
    await page.locator("nav[aria-label=Main]").waitFor();
    assert.match(await text(page, ".who"), literally(me.name), "still signed in after a reload");
    await page.context().close();
  });

  it("shows the login screen without a key, refuses a wrong key, and signs in with a good one", async () => {
    const me = await api<{ name: string; roles: string[] }>("whoami", server.viewerKey);
    assert.deepEqual(me.roles, ["viewer"]);
    const page = await open(null);
    const input = page.getByLabel("API key");
    await input.waitFor();
    await input.fill("pal_not-a-real-key");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "refused" }).waitFor();
    await screenshot(page, "login");
    await input.fill(server.viewerKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("nav[aria-label=Main]").waitFor();
    assert.match(await text(page, ".who"), literally(me.name));
    assert.match(await text(page, ".who"), /viewer/);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("API key").waitFor();
    assert.equal(await page.evaluate("sessionStorage.getItem('palisade.apiKey')"), null);
    await page.context().close();
  });

  it("overview: counts, findings by severity, open incidents, traffic and top risks as the API reports them", async () => {
    const overview = await api<{
      inventory: { type: string; count: number }[];
      findings: Record<string, number>;
      incidents: Record<string, Record<string, number>>;
      traffic: { requests: number; blocked: number; mcpCalls: number };
      topRisks: { ruleId: string }[];
    }>("overview");
    assert.ok(overview.traffic.requests > 0 && overview.traffic.blocked > 0, "the demo sent traffic, some blocked");
    assert.ok(overview.topRisks.length > 0, "the demo's scans found something");
    const page = await open(server.adminKey, "overview");
    await page.locator("[data-table=top-risks]").waitFor();
    const stat = (label: string) => text(page, `[data-stat="${label}"] .stat-value`);
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    assert.equal(await stat("AI assets"), String(sum(overview.inventory.map((i) => i.count))));
    assert.equal(await stat("Findings"), String(sum(Object.values(overview.findings))));
    assert.equal(await stat("AI requests (24 h)"), String(overview.traffic.requests));
    assert.equal(await stat("MCP tool calls (24 h)"), String(overview.traffic.mcpCalls));
    const active = sum(["open", "acknowledged"].flatMap((s) => Object.values(overview.incidents[s] ?? {})));
    assert.ok(active > 0, "the demo opened an incident");
    assert.equal(await stat("Open incidents"), String(active));
    for (const [severity, count] of Object.entries(overview.findings))
      assert.equal(
        await text(page, `[aria-label="Findings by severity"] [data-bar="${severity}"] .barlist-value`),
        String(count),
      );
    assert.deepEqual(
      await page
        .locator("[data-table=top-risks] tbody tr")
        .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-rule"))),
      overview.topRisks.map((r) => r.ruleId),
    );
    await page.locator("svg[data-chart=requests] rect.bar-blocked").first().waitFor();
    await screenshot(page, "overview");
    await page.context().close();
  });

  it("inventory: lists every asset, narrows by search and type, and shows an asset's findings and where it runs", async () => {
    const all = await api<Page_<{ id: string }>>("inventory?limit=50");
    const page = await open(server.viewerKey, "inventory");
    await waitForCount(page, "[data-table=inventory] tbody tr", all.items.length);
    await screenshot(page, "inventory");

    const searched = await api<Page_<{ id: string }>>("inventory?q=openai");
    assert.ok(searched.items.length > 0 && searched.items.length < all.items.length);
    await page.getByLabel("Search").fill("openai");
    await page.getByLabel("Search").press("Enter");
    await waitForCount(page, "[data-table=inventory] tbody tr", searched.items.length);
    assert.match(page.url(), /q=openai/);

    const models = await api<Page_<{ id: string }>>("inventory?type=model");
    assert.ok(models.items.length > 0 && models.items.length < all.items.length);
    await page.getByRole("link", { name: "Clear" }).click();
    await waitForCount(page, "[data-table=inventory] tbody tr", all.items.length);
    await page.getByLabel("Type").selectOption("model");
    await waitForCount(page, "[data-table=inventory] tbody tr", models.items.length);
    assert.deepEqual(
      await page
        .locator("[data-table=inventory] tbody tr")
        .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-asset"))),
      models.items.map((m) => m.id),
    );

    // The pickle in the sample image that runs a command when loaded: its finding, and the image it ships in.
    const pickles = await api<Page_<{ assetId: string; title: string }>>("findings?rule=model/pickle-dangerous");
    let asset: { id: string; finding: string; runsIn: { name: string; kind: string }[] } | undefined;
    for (const f of pickles.items) {
      const detail = await api<{ runsIn: { name: string; kind: string }[] }>(
        `inventory/${encodeURIComponent(f.assetId)}`,
      );
      if (detail.runsIn.some((r) => r.kind === "image")) asset = { id: f.assetId, finding: f.title, ...detail };
    }
    assert.ok(asset, "a malicious pickle found in the demo's image");
    const detail = await api<{ findings: { id: string }[] }>(`inventory/${encodeURIComponent(asset.id)}`);
    await go(page, `inventory/${encodeURIComponent(asset.id)}`);
    await waitForCount(page, "[data-table=findings] tbody tr", detail.findings.length);
    assert.match(await text(page, "[data-table=findings] tbody"), literally(asset.finding));
    const runsIn = await page.locator("[data-list=runs-in] li a").allInnerTexts();
    assert.deepEqual(
      runsIn,
      asset.runsIn.map((r) => r.name),
    );
    await screenshot(page, "inventory-item");
    await page.context().close();
  });

  it("findings: filters by severity, rule and OWASP id narrow the table to what the API returns", async () => {
    const list = async (query: string) =>
      (await api<Page_<{ id: string; title: string; owasp: string[]; ruleId: string }>>(`findings?limit=50${query}`))
        .items;
    const ids = async (query: string) => (await list(query)).map((f) => f.id);
    const shown = () => page.locator(rows).evaluateAll((r) => r.map((x) => x.getAttribute("data-finding")));
    const rows = "[data-table=findings] tbody tr";
    const all = await ids("");
    const page = await open(server.viewerKey, "findings");
    await waitForCount(page, rows, all.length);
    await screenshot(page, "findings");

    await page.getByLabel("Severity").selectOption("critical");
    const critical = await ids("&severity=critical");
    assert.ok(critical.length > 0 && critical.length < all.length);
    await waitForCount(page, rows, critical.length);
    assert.deepEqual(await shown(), critical);

    await page.getByLabel("Severity").selectOption("");
    await page.getByLabel("Rule").fill("code.");
    await page.getByLabel("Rule").press("Enter");
    const code = await list("&rule=code.");
    assert.ok(code.length > 1 && code.length < all.length, "the demo's source findings");
    await waitForCount(page, rows, code.length);
    assert.equal(await page.getByLabel("Rule").inputValue(), "code.", "the field keeps what was typed");

    // An OWASP id that some of the code.* findings carry, but not all of them.
    const tagged = [...new Set(code.flatMap((f) => f.owasp))].map((id) => ({
      id,
      n: code.filter((f) => f.owasp.includes(id)).length,
    }));
    const owasp = tagged.filter((t) => t.n < code.length).sort((a, b) => a.n - b.n)[0];
    assert.ok(owasp, JSON.stringify(tagged));
    await page.getByLabel("OWASP LLM").selectOption(owasp.id);
    const narrowed = await list(`&rule=code.&owasp=${encodeURIComponent(owasp.id)}`);
    assert.equal(narrowed.length, owasp.n);
    await waitForCount(page, rows, narrowed.length);
    assert.deepEqual(
      await shown(),
      narrowed.map((f) => f.id),
    );
    assert.match(await text(page, rows), literally(narrowed[0]?.title ?? "?"));

    // The demo's policy accepts one risk: the status filter shows the finding it waives, and who accepted it.
    await page.getByLabel("OWASP LLM").selectOption("");
    await page.getByLabel("Rule").fill("");
    await page.getByLabel("Status").selectOption("excepted");
    const excepted = await list("&status=excepted");
    assert.deepEqual(
      excepted.map((f) => f.ruleId),
      ["code.trust-remote-code"],
    );
    await waitForCount(page, rows, excepted.length);
    assert.deepEqual(
      await shown(),
      excepted.map((f) => f.id),
    );
    assert.equal(
      await page
        .locator(`${rows} [data-status=excepted] .badge`)
        .getAttribute("title")
        .then((t) => /ml-platform@example\.com/.test(t ?? "")),
      true,
    );
    await page.context().close();
  });

  it("AI activity: totals, blocked by reason, usage by identity and model, and the events table", async () => {
    const activity = await api<{
      totals: { requests: number; verdicts: Record<string, number> };
      blockedByReason: { reason: string; count: number }[];
      byIdentity: { identity: string; tokens: number }[];
      byModel: { model: string }[];
    }>("activity");
    assert.ok(activity.blockedByReason.some((r) => r.reason === "injection"));
    const events = await api<Page_<{ id: string }>>(
      `events?kind=gateway.request&limit=25&from=${Date.now() - 86_400_000}`,
    );
    const page = await open(server.viewerKey, "activity");
    await page.locator("[data-table=by-identity]").waitFor();
    assert.equal(await text(page, '[data-stat="Requests"] .stat-value'), String(activity.totals.requests));
    assert.equal(await text(page, '[data-stat="Blocked"] .stat-value'), String(activity.totals.verdicts.blocked));
    for (const r of activity.blockedByReason)
      assert.equal(
        await text(page, `[aria-label="Blocked by reason"] [data-bar="${r.reason}"] .barlist-value`),
        String(r.count),
      );
    assert.deepEqual(
      await page
        .locator("[data-table=by-identity] tbody tr")
        .evaluateAll((r) => r.map((x) => x.getAttribute("data-identity"))),
      activity.byIdentity.map((i) => i.identity),
    );
    assert.deepEqual(
      await page
        .locator("[data-table=by-model] tbody tr")
        .evaluateAll((r) => r.map((x) => x.getAttribute("data-model"))),
      activity.byModel.map((m) => m.model),
    );
    await waitForCount(page, "[data-table=events] tbody tr", events.items.length);
    await screenshot(page, "activity");

    const blocked = await api<Page_<{ id: string }>>(
      `events?kind=gateway.request&verdict=blocked&from=${Date.now() - 86_400_000}`,
    );
    assert.ok(blocked.items.length > 0 && blocked.items.length < activity.totals.requests);
    await page.getByLabel("Verdict").selectOption("blocked");
    await waitForCount(page, "[data-table=events] tbody tr", blocked.items.length);
    await page.context().close();
  });

  it("shows an event's redacted prompt and answer to an admin, and only that they are withheld to a viewer", async () => {
    // A request whose answer carried personal data the gateway redacted on the way back.
    const redacted = await api<
      Page_<{ id: string; payload: { answerExcerpt?: string; guards: { direction: string; outcome: string }[] } }>
    >("events?kind=gateway.request&verdict=redacted");
    const event = redacted.items.find(
      (e) =>
        e.payload.answerExcerpt && e.payload.guards.some((g) => g.direction === "response" && g.outcome === "redacted"),
    );
    assert.ok(event, "the demo's contact question, answered with a name and an e-mail address");
    const id = event.id;
    const asAdmin = await api<{ payload: { promptExcerpt: string; answerExcerpt: string } }>(`events/${id}`);
    const asViewer = await api<{ payload: Record<string, unknown>; withheld: string[] }>(
      `events/${id}`,
      server.viewerKey,
    );
    assert.ok(asViewer.withheld.includes("promptExcerpt"));
    const { promptExcerpt: prompt, answerExcerpt: answer } = asAdmin.payload;

    const admin = await open(server.adminKey, `activity?request=${id}`);
    await admin.locator(`[data-event="${id}"] a`).click();
    await admin.locator('[data-excerpt="promptExcerpt"]').waitFor();
    assert.equal(await text(admin, '[data-excerpt="promptExcerpt"] pre'), prompt);
    assert.equal(await text(admin, '[data-excerpt="answerExcerpt"] pre'), answer);
    assert.equal(await admin.locator("[data-withheld]").count(), 0);
    await admin.getByRole("heading", { name: "Events" }).evaluate((h) => h.scrollIntoView({ block: "start" }));
    await screenshot(admin, "activity-event");
    await admin.context().close();

    const viewer = await open(server.viewerKey, `activity?request=${id}`);
    await viewer.locator(`[data-event="${id}"] a`).click();
    await viewer.locator("[data-withheld]").waitFor();
    assert.match(await text(viewer, "[data-withheld]"), /only admins/);
    assert.equal(await viewer.locator("[data-excerpt]").count(), 0);
    const content = await viewer.content();
    assert.ok(!content.includes(prompt.slice(0, 30)), "the prompt is nowhere in the viewer's page");
    assert.ok(!content.includes(answer.slice(0, 40)), "nor the answer");
    await viewer.context().close();
  });

  it("incidents: the list, and an incident's graph drawing every node of its trace, clickable and reachable by keyboard", async () => {
    const list = await api<Page_<{ id: string; ruleId: string }>>("incidents");
    const page = await open(server.viewerKey, "incidents");
    await waitForCount(page, "[data-table=incidents] tbody tr", list.items.length);
    await screenshot(page, "incidents");

    const incident = await jailbreakIncident();
    const detail = await api<{ timeline: unknown[] }>(`incidents/${incident.id}`);
    const trace = await api<{ nodes: TraceNode[]; edges: unknown[] }>(`incidents/${incident.id}/trace`);
    for (const type of ["identity", "request", "signal", "model"])
      assert.ok(
        trace.nodes.some((n) => n.type === type),
        `the trace has a ${type} node`,
      );
    await page.locator(`[data-incident="${incident.id}"] a`).click();
    await waitForCount(page, "[data-node-id]", trace.nodes.length);
    assert.deepEqual(
      (await page.locator("[data-node-id]").evaluateAll((n) => n.map((x) => x.getAttribute("data-node-id")))).sort(),
      trace.nodes.map((n) => n.id).sort(),
    );
    assert.equal(await page.locator("[data-edge]").count(), trace.edges.length);
    assert.equal(await page.locator(".graph-node.in-incident").count(), trace.nodes.filter((n) => n.inIncident).length);
    assert.equal(await page.locator("[data-list=timeline] li").count(), detail.timeline.length);
    assert.match(await text(page, ".page-header"), /Repeated blocked prompt injections/);

    const identity = trace.nodes.find((n) => n.type === "identity");
    assert.ok(identity);
    assert.deepEqual(incident.summary.groupedBy, [identity.id], "grouped by the attacker's key");
    await page.locator(`[data-node-id="${identity.id}"]`).click();
    await page.locator(`[data-detail=node][data-node="${identity.id}"]`).waitFor();
    assert.match(await text(page, "[data-detail=node]"), /identity/);

    const signal = trace.nodes.find((n) => n.type === "signal");
    assert.ok(signal);
    await page.locator(`[data-node-id="${signal.id}"]`).focus();
    await page.keyboard.press("Enter");
    await page.locator(`[data-detail=node][data-node="${signal.id}"]`).waitFor();
    assert.match(await text(page, "[data-detail=node]"), literally(signal.label));
    assert.match(page.url(), /node=/);
    await page.locator("[data-readonly=status]").waitFor();
    assert.equal(await page.getByRole("form", { name: "Change the incident" }).count(), 0, "a viewer cannot change it");
    await page.context().close();
  });

  it("shows a request node's redacted prompt to an admin in the incident graph, and withholds it from a viewer", async () => {
    const incident = await jailbreakIncident();
    const trace = await api<{ nodes: TraceNode[] }>(`incidents/${incident.id}/trace`);
    const request = trace.nodes.find((n) => n.type === "request" && typeof n.detail?.prompt === "string");
    assert.ok(request, "an admin's trace carries the injection attempt's prompt");
    const prompt = String(request.detail?.prompt);
    const viewerTrace = await api<{ nodes: TraceNode[] }>(`incidents/${incident.id}/trace`, server.viewerKey);
    assert.ok(!JSON.stringify(viewerTrace).includes(prompt), "a viewer's trace carries no prompt text");
    assert.deepEqual(viewerTrace.nodes.find((n) => n.id === request.id)?.detail?.withheld, ["prompt", "promptHmac"]);

    const route = `incidents/${encodeURIComponent(incident.id)}`;
    const admin = await open(server.adminKey, route);
    await admin.locator(`[data-node-id="${request.id}"]`).click();
    await admin.locator(`[data-detail=node][data-node="${request.id}"]`).waitFor();
    assert.match(await text(admin, "[data-detail=node]"), literally(prompt.slice(0, 30)));
    await admin
      .getByRole("heading", { name: "Root-cause graph" })
      .evaluate((h) => h.scrollIntoView({ block: "start" }));
    await screenshot(admin, "incident");
    await admin.context().close();

    const viewer = await open(server.viewerKey, route);
    await viewer.locator(`[data-node-id="${request.id}"]`).click();
    await viewer.locator(`[data-detail=node][data-node="${request.id}"]`).waitFor();
    assert.match(await text(viewer, "[data-detail=node]"), /withheld/);
    assert.ok(!(await viewer.content()).includes(prompt.slice(0, 30)), "the prompt is nowhere in the viewer's page");
    await viewer.context().close();
  });

  it("lets an admin change an incident's status and owner, recorded in its history", async () => {
    const incident = await jailbreakIncident();
    const page = await open(server.adminKey, `incidents/${encodeURIComponent(incident.id)}`);
    await page.getByRole("combobox", { name: "Status" }).selectOption("acknowledged");
    await page.getByLabel("Owner").fill("sam");
    await page.getByLabel("Note").fill("revoking mallory's key");
    await page.getByRole("button", { name: "Save" }).click();
    await page.locator("[data-list=history] li").filter({ hasText: "sam" }).first().waitFor();
    const after = await api<{ status: string; owner: string; history: { detail: string }[] }>(
      `incidents/${incident.id}`,
    );
    assert.equal(after.status, "acknowledged");
    assert.equal(after.owner, "sam");
    assert.ok(
      after.history.some((h) => /revoking mallory's key/.test(h.detail ?? "")),
      JSON.stringify(after.history),
    );
    assert.match(await text(page, ".page-header"), /acknowledged/);
    await page.context().close();
  });

  it("policy: the effective policy, its files, its exceptions with their expiry, and its gate decisions", async () => {
    const policy = await api<{
      name: string;
      files: string[];
      spec: Record<string, unknown>;
      exceptions: { rule: string; target: string; owner: string; expires: string; expired: boolean }[];
      decisions: { id: string; kind: string; payload: { decision?: string; target?: string } }[];
    }>("policy", server.viewerKey);
    assert.ok(policy.exceptions.length > 0, "the example policy has an exception");
    const page = await open(server.viewerKey, "policy");
    await page.locator("[data-table=exceptions]").waitFor();
    assert.match(await text(page, ".page-header"), literally(policy.name));
    for (const file of policy.files) assert.match(await text(page, "main"), literally(file));
    const applied = await page.locator("[data-policy=effective]").evaluate((pre) => pre.textContent ?? "");
    assert.deepEqual(JSON.parse(applied), policy.spec);

    await waitForCount(page, "[data-table=exceptions] tbody tr", policy.exceptions.length);
    for (const e of policy.exceptions) {
      const selector = `[data-exception="${e.rule}"][data-target="${e.target}"]`;
      const row = page.locator(selector);
      const shown = await text(page, selector);
      for (const part of [e.owner, e.expires]) assert.ok(shown.includes(part), `${shown} shows ${part}`);
      assert.equal(await row.evaluate((r) => r.classList.contains("expired")), e.expired);
    }
    // The demo's scans ran through the CI gate under this policy: one decision each, both denied.
    const ci = policy.decisions.filter((d) => d.kind === "gate.ci");
    assert.equal(ci.length, 2, JSON.stringify(policy.decisions));
    assert.ok(ci.every((d) => d.payload.decision === "deny"));
    await waitForCount(page, "[data-table=decisions] tbody tr", policy.decisions.length);
    for (const d of ci)
      assert.match(await text(page, `[data-decision="${d.id}"]`), literally(String(d.payload.target)));
    await screenshot(page, "policy");
    await page.context().close();
  });

  it("compliance: each OWASP LLM and ATLAS item with its coverage, its controls' state and a link to its findings", async () => {
    const compliance = await api<{
      frameworks: {
        id: string;
        items: { id: string; coverage: string; findings: number; controls: { id: string; state: string }[] }[];
      }[];
    }>("compliance", server.viewerKey);
    const page = await open(server.viewerKey, "compliance");
    for (const f of compliance.frameworks) {
      await waitForCount(page, `[data-table="framework-${f.id}"] tbody tr`, f.items.length);
      const covered = f.items.filter((i) => i.coverage !== "off").length;
      const withFindings = f.items.filter((i) => i.findings > 0).length;
      assert.match(
        await text(page, `[data-coverage="${f.id}"]`),
        new RegExp(
          `^${covered} of ${f.items.length} items have a control switched on.*; ${withFindings} have findings`,
        ),
      );
      for (const item of f.items) {
        const row = `[data-table="framework-${f.id}"] [data-item="${item.id}"]`;
        assert.equal(await page.locator(row).getAttribute("data-coverage-state"), item.coverage);
        assert.deepEqual(
          await page
            .locator(`${row} [data-control]`)
            .evaluateAll((li) =>
              li.map((x) => [x.getAttribute("data-control"), x.querySelector(".badge")?.textContent]),
            ),
          item.controls.map((c) => [c.id, c.state]),
        );
      }
    }
    await screenshot(page, "compliance");

    // Following an OWASP item's findings link narrows the findings page to what the API tags with it.
    const owasp = compliance.frameworks.find((f) => f.id === "owasp-llm-2025");
    const item = owasp?.items.find((i) => i.findings > 0);
    assert.ok(item, "a demo finding maps to an OWASP LLM item");
    const findings = await api<Page_<{ id: string }>>(`findings?limit=50&owasp=${encodeURIComponent(item.id)}`);
    assert.equal(findings.items.length, item.findings);
    await page.locator(`[data-item="${item.id}"] a`).click();
    await waitForCount(page, "[data-table=findings] tbody tr", item.findings);
    assert.equal(await page.getByLabel("OWASP LLM").inputValue(), item.id);
    await page.context().close();
  });

  it("is usable by keyboard: Tab reaches the main navigation, Enter opens a page, and its table rows are reachable", async () => {
    const page = await open(server.viewerKey, "overview");
    await page.locator("[data-table=top-risks]").waitFor();
    await page.evaluate("document.activeElement?.blur()");
    const focused = () =>
      page.evaluate<{ text: string; inNav: boolean }>(`(() => {
        const el = document.activeElement;
        return { text: el?.textContent?.trim() ?? "", inNav: Boolean(el?.closest("nav[aria-label=Main]")) };
      })()`);
    const inFirstRow = () =>
      page.evaluate<boolean>(`Boolean(document.activeElement?.closest("[data-table=findings] tbody tr"))`);
    await page.keyboard.press("Tab");
    assert.equal((await focused()).text, "Skip to content", "the first stop skips the navigation");
    let stops = 1;
    while (!(await focused()).inNav && stops < 10) {
      await page.keyboard.press("Tab");
      stops++;
    }
    assert.ok((await focused()).inNav, "Tab reaches the main navigation");
    while ((await focused()).text !== "Findings" && stops < 20) {
      await page.keyboard.press("Tab");
      stops++;
    }
    assert.equal((await focused()).text, "Findings");
    const outline = await page.evaluate<string>("getComputedStyle(document.activeElement).outlineStyle");
    assert.notEqual(outline, "none", "the focused link shows a focus ring");
    await page.keyboard.press("Enter");
    await page.locator("[data-table=findings] tbody tr").first().waitFor();
    assert.match(page.url(), /#\/findings$/);
    assert.equal(await page.evaluate<string>("document.activeElement?.id"), "main", "focus moves to the new page");
    for (let i = 0; i < 15 && !(await inFirstRow()); i++) await page.keyboard.press("Tab");
    assert.ok(await inFirstRow(), "Tab reaches the first row of the table");
    await page.context().close();
  });

  it("needs no login when `palisade up --no-auth` runs", async () => {
    const context = await browser.newContext({ viewport: VIEWPORT });
    try {
      const page = await context.newPage();
      await page.goto(`${openUp.url}/#/overview`);
      await page.locator("[data-stat=Findings] .stat-value").waitFor();
      assert.equal(await text(page, "[data-stat=Findings] .stat-value"), "0", "nothing scanned in its store");
      assert.match(await text(page, ".who"), /no authentication/);
      assert.equal(await page.getByRole("button", { name: "Sign out" }).count(), 0);
      assert.equal(await page.getByLabel("API key").count(), 0);
    } finally {
      await context.close();
    }
  });

  it("loaded every page without a script error, a console error or a CSP violation", () => {
    assert.deepEqual(problems, []);
  });
});
