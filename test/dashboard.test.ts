/**
 * The dashboard in a real browser (Debian's chromium driven by playwright-core) against a real
 * server and store: every page shows the values the API reports, filters narrow tables, the
 * incident graph draws the trace's nodes, the prompt drill-down is for admins only, and the
 * keyboard reaches everything. Each page's screenshot (1366×768) goes to docs/images.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { createStoreDirectory } from "../src/incident/index.js";
import { createApi, createStaticHandler, startApiServer } from "../src/server/index.js";
import { openStore } from "../src/store/index.js";
import { type DashboardServer, startDashboardServer } from "./helpers/dashboard-server.js";

const CHROMIUM = "/usr/bin/chromium";
const IMAGES = fileURLToPath(new URL("../docs/images", import.meta.url));
const VIEWPORT = { width: 1366, height: 768 };
// Locally without Debian's chromium the suite says why it is skipped; CI installs it and never skips.
const skip =
  !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} is not installed (apt-get install chromium)` : false;

interface Page_<T> {
  items: T[];
  nextCursor: string | null;
}

describe("dashboard in a browser", { skip, timeout: 300_000 }, () => {
  let server: DashboardServer;
  let browser: Browser;
  /** Script errors, CSP violations and console errors of every page opened, checked at the end. */
  const problems: string[] = [];

  async function api<T>(path: string, key = server.adminKey): Promise<T> {
    const response = await fetch(`${server.url}/api/v1/${path}`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(response.status, 200, `${path}: ${response.status}`);
    return (await response.json()) as T;
  }
  async function apiStatus(path: string): Promise<number> {
    const response = await fetch(`${server.url}/api/v1/${path}`, {
      headers: { authorization: `Bearer ${server.adminKey}` },
    });
    await response.body?.cancel();
    return response.status;
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
    server = await startDashboardServer();
    browser = await chromium.launch({
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
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it("takes the key from the address once, keeps it in session storage and removes it from the address bar", async () => {
    const page = await open(server.adminKey);
    assert.ok(!page.url().includes(server.adminKey), page.url());
    assert.ok(!page.url().includes("key="), page.url());
    assert.equal(await page.evaluate("sessionStorage.getItem('palisade.apiKey')"), server.adminKey);
    assert.match(await text(page, ".who"), /dashboard-admin/);
    await page.reload();
    await page.locator("nav[aria-label=Main]").waitFor();
    assert.match(await text(page, ".who"), /dashboard-admin/, "still signed in after a reload");
    await page.context().close();
  });

  it("shows the login screen without a key, refuses a wrong key, and signs in with a good one", async () => {
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
    assert.match(await text(page, ".who"), /dashboard-viewer/);
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
    const page = await open(server.adminKey, "overview");
    await page.locator("[data-table=top-risks]").waitFor();
    const stat = (label: string) => text(page, `[data-stat="${label}"] .stat-value`);
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    assert.equal(await stat("AI assets"), String(sum(overview.inventory.map((i) => i.count))));
    assert.equal(await stat("Findings"), String(sum(Object.values(overview.findings))));
    assert.equal(await stat("AI requests (24 h)"), String(overview.traffic.requests));
    assert.equal(await stat("MCP tool calls (24 h)"), String(overview.traffic.mcpCalls));
    const active = sum(["open", "acknowledged"].flatMap((s) => Object.values(overview.incidents[s] ?? {})));
    assert.ok(active > 0, "the seeded store has open incidents");
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

    const id = "pkg:npm/tar-fs@2.1.1";
    const detail = await api<{ findings: { id: string }[]; runsIn: { name: string }[] }>(
      `inventory/${encodeURIComponent(id)}`,
    );
    await go(page, `inventory/${encodeURIComponent(id)}`);
    await waitForCount(page, "[data-table=findings] tbody tr", detail.findings.length);
    const runsIn = await page.locator("[data-list=runs-in] li a").allInnerTexts();
    assert.deepEqual(
      runsIn,
      detail.runsIn.map((r) => r.name),
    );
    assert.ok(
      runsIn.some((n) => n.includes("Deployment/mcp-files")),
      "the workload the library runs in",
    );
    await screenshot(page, "inventory-item");
    await page.context().close();
  });

  it("findings: filters by severity, rule and OWASP id narrow the table to what the API returns", async () => {
    const ids = async (query: string) =>
      (await api<Page_<{ id: string }>>(`findings?limit=50${query}`)).items.map((f) => f.id);
    const rows = "[data-table=findings] tbody tr";
    const page = await open(server.viewerKey, "findings");
    await waitForCount(page, rows, (await ids("")).length);
    await screenshot(page, "findings");

    await page.getByLabel("Severity").selectOption("critical");
    const critical = await ids("&severity=critical");
    assert.ok(critical.length > 0);
    await waitForCount(page, rows, critical.length);
    assert.deepEqual(
      await page.locator(rows).evaluateAll((r) => r.map((x) => x.getAttribute("data-finding"))),
      critical,
    );

    await page.getByLabel("Severity").selectOption("");
    await page.getByLabel("Rule").fill("code.");
    await page.getByLabel("Rule").press("Enter");
    await waitForCount(page, rows, (await ids("&rule=code.")).length);
    assert.equal(await page.getByLabel("Rule").inputValue(), "code.", "the field keeps what was typed");

    await page.getByLabel("OWASP LLM").selectOption("LLM01:2025");
    const owasp = await ids("&rule=code.&owasp=LLM01:2025");
    assert.equal(owasp.length, 1);
    await waitForCount(page, rows, 1);
    assert.match(await text(page, rows), /User input concatenated/);
    await page.context().close();
  });

  it("AI activity: totals, blocked by reason, usage by identity and model, and the events table", async () => {
    const activity = await api<{
      totals: { requests: number; verdicts: Record<string, number> };
      blockedByReason: { reason: string; count: number }[];
      byIdentity: { identity: string; tokens: number }[];
      byModel: { model: string }[];
    }>("activity");
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
    await page.getByLabel("Verdict").selectOption("blocked");
    await waitForCount(page, "[data-table=events] tbody tr", blocked.items.length);
    await page.context().close();
  });

  it("shows an event's redacted prompt and answer to an admin, and only that they are withheld to a viewer", async () => {
    const asAdmin = await api<{ payload: { promptExcerpt: string; answerExcerpt: string } }>("events/req-attack-1");
    const asViewer = await api<{ payload: Record<string, unknown>; withheld: string[] }>(
      "events/req-attack-1",
      server.viewerKey,
    );
    assert.ok(asViewer.withheld.includes("promptExcerpt"));
    const prompt = asAdmin.payload.promptExcerpt;

    const admin = await open(server.adminKey, "activity?request=req-attack-1");
    await admin.locator('[data-event="req-attack-1"] a').click();
    await admin.locator('[data-excerpt="promptExcerpt"]').waitFor();
    assert.equal(await text(admin, '[data-excerpt="promptExcerpt"] pre'), prompt);
    assert.equal(await text(admin, '[data-excerpt="answerExcerpt"] pre'), asAdmin.payload.answerExcerpt);
    assert.equal(await admin.locator("[data-withheld]").count(), 0);
    await admin.getByRole("heading", { name: "Events" }).evaluate((h) => h.scrollIntoView({ block: "start" }));
    await screenshot(admin, "activity-event");
    await admin.context().close();

    const viewer = await open(server.viewerKey, "activity?request=req-attack-1");
    await viewer.locator('[data-event="req-attack-1"] a').click();
    await viewer.locator("[data-withheld]").waitFor();
    assert.match(await text(viewer, "[data-withheld]"), /only admins/);
    assert.equal(await viewer.locator("[data-excerpt]").count(), 0);
    assert.ok(!(await viewer.content()).includes(prompt.slice(0, 30)), "the prompt is nowhere in the viewer's page");
    await viewer.context().close();
  });

  it("incidents: the list, and an incident's graph drawing every node of its trace, clickable and reachable by keyboard", async () => {
    const list = await api<Page_<{ id: string; ruleId: string }>>("incidents");
    const page = await open(server.viewerKey, "incidents");
    await waitForCount(page, "[data-table=incidents] tbody tr", list.items.length);
    await screenshot(page, "incidents");

    const incident = list.items.find((i) => i.ruleId === "injection-tool-exec");
    assert.ok(incident, "the seeded chain opened an incident");
    const trace = await api<{
      nodes: { id: string; label: string; type: string; inIncident?: boolean }[];
      edges: unknown[];
    }>(`incidents/${incident.id}/trace`);
    await page.locator(`[data-incident="${incident.id}"] a`).click();
    await waitForCount(page, "[data-node-id]", trace.nodes.length);
    assert.deepEqual(
      (await page.locator("[data-node-id]").evaluateAll((n) => n.map((x) => x.getAttribute("data-node-id")))).sort(),
      trace.nodes.map((n) => n.id).sort(),
    );
    assert.equal(await page.locator("[data-edge]").count(), trace.edges.length);
    assert.equal(await page.locator(".graph-node.in-incident").count(), trace.nodes.filter((n) => n.inIncident).length);
    assert.ok((await page.locator("[data-list=timeline] li").count()) >= 3);

    const process = trace.nodes.find((n) => n.type === "process");
    assert.ok(process);
    await page.locator(`[data-node-id="${process.id}"]`).click();
    await page.locator(`[data-detail=node][data-node="${process.id}"]`).waitFor();
    assert.match(await text(page, "[data-detail=node]"), /process/);

    const request = trace.nodes.find((n) => n.type === "request");
    assert.ok(request);
    await page.locator(`[data-node-id="${request.id}"]`).focus();
    await page.keyboard.press("Enter");
    await page.locator(`[data-detail=node][data-node="${request.id}"]`).waitFor();
    assert.match(page.url(), /node=/);
    await page.locator("[data-readonly=status]").waitFor();
    assert.equal(await page.getByRole("form", { name: "Change the incident" }).count(), 0, "a viewer cannot change it");
    await page.getByRole("heading", { name: "Root-cause graph" }).evaluate((h) => h.scrollIntoView({ block: "start" }));
    await screenshot(page, "incident");
    await page.context().close();
  });

  it("keeps prompt excerpts out of a viewer's incident trace, as /events does", async () => {
    const prompt = (await api<{ payload: { promptExcerpt: string } }>("events/req-attack-1")).payload.promptExcerpt;
    const list = await api<Page_<{ id: string; ruleId: string }>>("incidents", server.viewerKey);
    const incident = list.items.find((i) => i.ruleId === "injection-tool-exec");
    assert.ok(incident);
    const trace = await api<unknown>(`incidents/${incident.id}/trace`, server.viewerKey);
    assert.ok(!JSON.stringify(trace).includes(prompt), "a viewer's trace carries the prompt excerpt");
    const adminTrace = await api<unknown>(`incidents/${incident.id}/trace`);
    assert.ok(JSON.stringify(adminTrace).includes(prompt), "an admin's trace shows it");
  });

  it("lets an admin change an incident's status and owner, recorded in its history", async () => {
    const list = await api<Page_<{ id: string; ruleId: string }>>("incidents");
    const incident = list.items.find((i) => i.ruleId === "repeated-jailbreaks");
    assert.ok(incident);
    const page = await open(server.adminKey, `incidents/${encodeURIComponent(incident.id)}`);
    await page.getByRole("combobox", { name: "Status" }).selectOption("acknowledged");
    await page.getByLabel("Owner").fill("sam");
    await page.getByLabel("Note").fill("looking at the intern laptop");
    await page.getByRole("button", { name: "Save" }).click();
    await page.locator("[data-list=history] li").filter({ hasText: "sam" }).first().waitFor();
    const after = await api<{ status: string; owner: string; history: { detail: string }[] }>(
      `incidents/${incident.id}`,
    );
    assert.equal(after.status, "acknowledged");
    assert.equal(after.owner, "sam");
    assert.match(await text(page, ".page-header"), /acknowledged/);
    await page.context().close();
  });

  it("policy and compliance: show the API's data, or say they are not available while the server lacks them", async () => {
    for (const name of ["policy", "compliance"] as const) {
      const page = await open(server.viewerKey, name);
      const status = await apiStatus(name);
      if (status === 404) {
        await page.getByText("is not available").waitFor();
      } else if (name === "policy") {
        const policy = await api<{ name: string; exceptions: unknown[] }>("policy");
        await page.getByRole("heading", { name: "Policy" }).waitFor();
        assert.match(await text(page, ".page-header"), new RegExp(policy.name));
        if (policy.exceptions.length > 0)
          await waitForCount(page, "[data-table=exceptions] tbody tr", policy.exceptions.length);
      } else {
        const compliance = await api<{ frameworks: { id: string; items: unknown[] }[] }>("compliance");
        for (const f of compliance.frameworks)
          await waitForCount(page, `[data-table="framework-${f.id}"] tbody tr`, f.items.length);
      }
      await screenshot(page, name);
      await page.context().close();
    }
  });

  it("renders the policy and compliance shapes of the API contract, whatever the server answers today", async () => {
    // The two endpoints' contract, answered by the browser itself: checks the pages read every field of it.
    const policy = {
      name: "production",
      sources: ["/etc/palisade/policy.yaml"],
      policy: { gates: { image: { maxSeverity: "high" } } },
      exceptions: [
        {
          id: "exc-1",
          rule: "image.runs-as-root",
          target: "registry.local/mcp-files",
          reason: "vendor image",
          expires: "2099-01-01",
          expired: false,
        },
        { id: "exc-2", rule: "code.unpinned-model", expires: "2020-01-01", expired: true },
      ],
      decisions: [
        {
          time: Date.now() - 60_000,
          gate: "admission",
          target: "ai/Deployment/vllm",
          decision: "deny",
          reasons: ["runs as root"],
        },
        { time: Date.now() - 120_000, gate: "ci", target: "repo/shop-assistant", decision: "allow", reasons: [] },
      ],
    };
    const compliance = {
      frameworks: [
        {
          id: "owasp-llm-2025",
          name: "OWASP Top 10 for LLM Applications 2025",
          items: [
            {
              id: "LLM01:2025",
              title: "Prompt Injection",
              controls: [{ id: "guard-injection", name: "Injection guard", enabled: true }],
              findings: 1,
            },
            {
              id: "LLM02:2025",
              title: "Sensitive Information Disclosure",
              controls: [{ id: "guard-pii", name: "PII guard", enabled: false }],
              findings: 1,
            },
          ],
        },
        {
          id: "mitre-atlas",
          name: "MITRE ATLAS",
          items: [{ id: "AML.T0051", title: "LLM Prompt Injection", controls: [], findings: 1 }],
        },
      ],
    };
    const page = await open(server.viewerKey);
    await page.route("**/api/v1/policy", (route) => route.fulfill({ json: policy }));
    await page.route("**/api/v1/compliance", (route) => route.fulfill({ json: compliance }));
    await go(page, "policy");
    await waitForCount(page, "[data-table=exceptions] tbody tr", 2);
    assert.match(await text(page, '[data-exception="exc-2"]'), /expired/);
    assert.equal(await page.locator('[data-exception="exc-2"].expired').count(), 1);
    await waitForCount(page, "[data-table=decisions] tbody tr", 2);
    assert.match(await text(page, ".page-header"), /production/);
    await go(page, "compliance");
    await waitForCount(page, '[data-table="framework-owasp-llm-2025"] tbody tr', 2);
    assert.match(await text(page, '[data-coverage="owasp-llm-2025"]'), /1 of 2 items have a control switched on/);
    assert.equal(
      await page.locator('[data-item="LLM01:2025"] a').getAttribute("href"),
      "#/findings?owasp=LLM01%3A2025",
    );
    assert.equal(await page.locator('[data-item="AML.T0051"] a').getAttribute("href"), "#/findings?atlas=AML.T0051");
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

  it("needs no login when the server runs without authentication", async () => {
    const dir = mkdtempSync(join(tmpdir(), "palisade-dashboard-open-"));
    const store = openStore({ location: join(dir, "palisade.db") });
    await store.migrate();
    const api = createApi({ store, directory: createStoreDirectory({ mcp: {} }), version: "test" });
    const open = await startApiServer({
      host: "127.0.0.1",
      port: 0,
      api: api.handler,
      fallback: createStaticHandler(fileURLToPath(new URL("../web/dist", import.meta.url))),
    });
    const context = await browser.newContext({ viewport: VIEWPORT });
    try {
      const page = await context.newPage();
      await page.goto(`${open.url}/#/overview`);
      await page.locator("[data-stat=Findings] .stat-value").waitFor();
      assert.equal(await text(page, "[data-stat=Findings] .stat-value"), "0");
      assert.match(await text(page, ".who"), /no authentication/);
      assert.equal(await page.getByRole("button", { name: "Sign out" }).count(), 0);
      assert.equal(await page.getByLabel("API key").count(), 0);
    } finally {
      await context.close();
      await open.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("loaded every page without a script error, a console error or a CSP violation", () => {
    assert.deepEqual(problems, []);
  });
});
