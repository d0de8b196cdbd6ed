// The integrations list end to end: search (the server's name filter, plus channels, URLs and
// trigger words here), kind tabs, the state kept in the address
// (reload, Back), a bulk disable with one refusal by the server, and an export imported into
// an emptied sandbox. Paging over a large seed: list-paging.spec.mjs. Screenshots under
// target/e2e/screenshots/list/.
import { readFileSync } from "node:fs";
import { test, expect, signIn } from "./support/fixtures.mjs";

// The admin's personal access token (sandbox/README.md): the test's own REST calls.
const PAT = { "X-User-Id": "9ZWavJhzHXNEXeSz6", "X-Auth-Token": "VkC1cXe3wpf5tmr97gkiXC2Fpwm2x8ViYmT8JbeqmX5" };

const SEEDED = [
  "Broken script",
  "Büro-Ankündigungen",
  "Deploy bot",
  "GitHub pushes",
  "Monitoring alerts",
  "Outgoing with script error",
  "Owner's build notices",
  "Owner's echo",
  "Public archive (disabled)",
  "Welcome new users",
];
const INCOMING = ["Broken script", "Büro-Ankündigungen", "GitHub pushes", "Monitoring alerts", "Owner's build notices"];
const OUTGOING = SEEDED.filter((n) => !INCOMING.includes(n));

/** Calls the sandbox's Rocket.Chat API as the admin (not through the app). */
async function api(base, method, endpoint, body) {
  const res = await fetch(`${base}/api/v1/${endpoint}`, {
    method,
    headers: { ...PAT, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok || json.success === false) throw new Error(`${method} ${endpoint}: HTTP ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Every integration on the server, read page by page, by name. */
async function allIntegrations(base) {
  const out = [];
  for (let offset = 0; ; offset += 100) {
    const page = await api(base, "GET", `integrations.list?count=100&offset=${offset}`);
    out.push(...page.integrations);
    if (page.integrations.length === 0 || out.length >= page.total) break;
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** The search held in the page's address. */
function queryOf(page) {
  return new URL(page.url()).searchParams.get("q");
}

/** The names in the list's table, in order. */
function rowNames(page) {
  return page.locator("table.list-table tbody th.cell-name");
}

/** The part of an integration that an export followed by an import must keep. */
function essence(i) {
  const out = { name: i.name, type: i.type, enabled: i.enabled, channel: [...(i.channel ?? [])].sort(), username: i.username };
  if (i.type === "webhook-outgoing") {
    Object.assign(out, {
      event: i.event,
      urls: i.urls ?? [],
      triggerWords: i.triggerWords ?? [],
      targetRoom: i.targetRoom || undefined,
    });
  }
  return out;
}

async function openList(page) {
  await signIn(page);
  await expect(page).toHaveURL(/\/integrations$/);
  await expect(rowNames(page)).toHaveCount(SEEDED.length);
}

test("search by name on the server and by channel, URL or trigger word here; kind tabs; state in the address", async ({ page, shot }) => {
  await openList(page);
  await expect(rowNames(page)).toHaveText(SEEDED);
  await expect(page.locator(".pager")).toContainText(`Showing 1–${SEEDED.length} of ${SEEDED.length}`);
  await shot("list");

  // Name: narrowed at once, then the server's `name` filter (8.8), and the address follows.
  const search = page.getByRole("searchbox", { name: "Search" });
  const nameQuery = page.waitForRequest((r) => r.url().includes("integrations.list") && new URL(r.url()).searchParams.get("name") === "owner");
  await search.fill("owner");
  await expect(rowNames(page)).toHaveText(["Owner's build notices", "Owner's echo"]);
  await nameQuery;
  await expect(page).toHaveURL(/\/integrations\?q=owner$/);
  await expect(rowNames(page)).toHaveText(["Owner's build notices", "Owner's echo"]);
  await shot("search-name");

  // Channel, URL and trigger word: the server finds no such name; rows loaded earlier do.
  for (const [query, names] of [
    ["#ops", ["Monitoring alerts"]],
    ["owner-echo", ["Owner's echo"]],
    ["!deploy", ["Deploy bot"]],
    ["all_public_channels", ["Public archive (disabled)"]],
  ]) {
    await search.fill(query);
    await expect.poll(() => queryOf(page)).toBe(query);
    await expect(rowNames(page)).toHaveText(names);
    await expect(page.locator(".pager")).toContainText("found by channel, URL or trigger word");
  }
  await shot("search-trigger-word");

  // A search with no match says so and offers to clear it.
  await search.fill("no such thing");
  await expect(page.locator(".empty-state")).toContainText("No integrations match “no such thing”");
  await shot("search-no-match");
  await page.getByRole("button", { name: "Clear the search" }).click();
  await expect(search).toHaveValue("");
  await expect(rowNames(page)).toHaveText(SEEDED);
  await expect(page).toHaveURL(/\/integrations$/);

  // Tabs: each kind its own address (the server's `type` filter), marked current.
  const tabs = page.getByRole("navigation", { name: "Kind" });
  await tabs.getByRole("link", { name: "Incoming" }).click();
  await expect(page).toHaveURL(/\?tab=incoming$/);
  await expect(tabs.getByRole("link", { name: "Incoming" })).toHaveAttribute("aria-current", "page");
  await expect(rowNames(page)).toHaveText(INCOMING);
  await shot("tab-incoming");
  await tabs.getByRole("link", { name: "Outgoing" }).click();
  await expect(page).toHaveURL(/\?tab=outgoing$/);
  await expect(rowNames(page)).toHaveText(OUTGOING);
  expect(page.requests.some((r) => new URL(r.url).searchParams.get("type") === "webhook-outgoing")).toBe(true);

  // A search inside a tab, then reload: tab, search and rows come back from the address.
  await search.fill("script");
  await expect(page).toHaveURL(/\?tab=outgoing&q=script$/);
  await expect(rowNames(page)).toHaveText(["Outgoing with script error"]);
  await page.reload();
  await expect(search).toHaveValue("script");
  await expect(tabs.getByRole("link", { name: "Outgoing" })).toHaveAttribute("aria-current", "page");
  await expect(rowNames(page)).toHaveText(["Outgoing with script error"]);
  await shot("reloaded-outgoing-search");

  // Back: typing replaces the entry instead of adding one per keystroke, so Back goes to the
  // tab before (incoming), then to all; Forward returns.
  await page.goBack();
  await expect(page).toHaveURL(/\?tab=incoming$/);
  await expect(search).toHaveValue("");
  await expect(rowNames(page)).toHaveText(INCOMING);
  await page.goBack();
  await expect(page).toHaveURL(/\/integrations$/);
  await expect(rowNames(page)).toHaveText(SEEDED);
  await page.goForward();
  await expect(rowNames(page)).toHaveText(INCOMING);
  await shot("back-forward");

  // Narrow and dark: the same rows, nothing cut off sideways.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(rowNames(page)).toHaveText(INCOMING);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await shot("narrow-dark");
});

test("bulk disable of four, one refused by the server: confirmation lists them, result lists both", async ({ page, sandbox, shot }) => {
  await openList(page);
  const chosen = ["Büro-Ankündigungen", "Deploy bot", "GitHub pushes", "Owner's echo"];
  for (const name of chosen) await page.getByRole("checkbox", { name: `Select ${name}` }).check();
  const bar = page.getByRole("group", { name: "Selected integrations" });
  await expect(bar).toContainText("4 integrations selected");
  await shot("selected");

  // Another admin deletes "Deploy bot" meanwhile: the server refuses its update.
  const gone = (await allIntegrations(sandbox.url)).find((i) => i.name === "Deploy bot");
  await api(sandbox.url, "POST", "integrations.remove", { type: gone.type, integrationId: gone._id });

  await bar.getByRole("button", { name: "Disable" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("heading")).toHaveText("Disable 4 integrations?");
  await expect(dialog.locator(".name-list li")).toHaveText(chosen);
  await shot("confirmation");
  const before = page.requests.length;
  await dialog.getByRole("button", { name: "Disable 4 integrations" }).click();

  const report = page.locator(".report");
  await expect(report).toContainText("3 disabled, 1 failed: Deploy bot — ");
  await expect(report).toHaveClass(/alert-warning/);
  await expect(page.getByRole("status")).toContainText("3 disabled, 1 failed");
  await shot("result");
  // One update per integration: the failure did not stop the ones after it.
  const updates = page.requests.slice(before).filter((r) => r.method === "PUT" && r.url.endsWith("/api/v1/integrations.update"));
  expect(updates).toHaveLength(4);

  // The server agrees; the failure stays selected for a retry.
  const after = await allIntegrations(sandbox.url);
  for (const name of ["Büro-Ankündigungen", "GitHub pushes", "Owner's echo"]) {
    expect(after.find((i) => i.name === name)?.enabled, name).toBe(false);
  }
  expect(after.find((i) => i.name === "Deploy bot")).toBeUndefined();
  await expect(page.getByRole("checkbox", { name: "Select Deploy bot" })).toBeChecked();
  await expect(bar).toContainText("1 integration selected");
  const github = page.locator("table.list-table tbody tr", { hasText: "GitHub pushes" });
  await expect(github).toContainText("Disabled");
  await expect(github.getByRole("button", { name: "Enable GitHub pushes" })).toBeVisible();
});

test("export every integration, empty the server, import the file: the same integrations again", async ({ page, sandbox, shot }) => {
  const original = await allIntegrations(sandbox.url);
  expect(original.map((i) => i.name)).toEqual(SEEDED);
  await openList(page);

  // Export all: the dialog lists them, tokens off by default, then a JSON download.
  await page.getByRole("button", { name: "Export all…" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("heading")).toHaveText(`Export ${SEEDED.length} integrations?`);
  await expect(dialog.locator(".name-list li")).toHaveCount(SEEDED.length);
  await expect(dialog.getByRole("checkbox", { name: "Include tokens" })).not.toBeChecked();
  await shot("export-confirmation");
  const downloading = page.waitForEvent("download");
  await dialog.getByRole("button", { name: "Download" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^hookpanel-integrations-\d{4}-\d{2}-\d{2}\.json$/);
  const file = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(file);
  const exported = JSON.parse(readFileSync(file, "utf8"));
  expect(exported.format).toBe("hookpanel-integrations");
  expect(exported.integrations.map((i) => i.name).sort()).toEqual([...SEEDED].sort());
  expect(JSON.stringify(exported)).not.toContain("toRTGiR9do22sfT99KbNjj45TJ7yFwNJuhDzzSLQQg8pcLuD");
  await expect(page.getByRole("status")).toContainText(`Downloaded ${SEEDED.length} integrations`);

  // Empty the server (as another admin would), then reload: the empty state.
  for (const i of original) await api(sandbox.url, "POST", "integrations.remove", { type: i.type, integrationId: i._id });
  expect(await allIntegrations(sandbox.url)).toEqual([]);
  await page.reload();
  await expect(page.locator(".empty-state")).toContainText("No integrations yet.");
  await shot("empty");

  // Import: a preview checked against this server, every entry ready, then created.
  await page.locator("#import-file").setInputFiles(file);
  const panel = page.getByRole("region", { name: /^Import from hookpanel-integrations-/ });
  await expect(panel).toBeVisible();
  await expect(panel).toContainText(`${SEEDED.length} integrations in the file: ${SEEDED.length} can be created, 0 cannot, 0 with a name already in use.`);
  await expect(panel.locator("tbody tr")).toHaveCount(SEEDED.length);
  await expect(panel.getByText("Ready", { exact: true })).toHaveCount(SEEDED.length);
  await shot("import-preview");
  await panel.getByRole("button", { name: `Create ${SEEDED.length} integrations` }).click();
  await expect(page.locator(".report")).toContainText(`${SEEDED.length} created`);
  await expect(panel.getByText("Created", { exact: true })).toHaveCount(SEEDED.length);
  await expect(rowNames(page)).toHaveText(SEEDED);
  await shot("imported");

  // The server holds the same integrations: names, kinds, channels, post as, enabled, event,
  // URLs, trigger words, target room.
  const recreated = await allIntegrations(sandbox.url);
  expect(recreated.map(essence)).toEqual(original.map(essence));
  expect(recreated.map((i) => i._id).filter((id) => original.some((o) => o._id === id))).toEqual([]);
  // Incoming ones got fresh tokens; scripts came along.
  const pushes = recreated.find((i) => i.name === "GitHub pushes");
  expect(pushes.token).toMatch(/.{24,}/);
  expect(pushes.token).not.toBe(original.find((i) => i.name === "GitHub pushes").token);
  expect(pushes.script).toBe(original.find((i) => i.name === "GitHub pushes").script);
});
