// Health in the list: each outgoing row on screen shows its last call and a strip of its last
// 20 outcomes (with a text for screen readers), read with exactly one history request per
// outgoing row per list load, kept while paging back and forth; the "failing" filter lives
// in the address and narrows the page without a new request. Screenshots under
// target/e2e/screenshots/list-health/.
import { test, expect, signIn } from "./support/fixtures.mjs";
import { expectAccessible } from "./support/axe.mjs";

test.use({ sandboxArgs: ["--seed-history", "300", "--seed-large", "60"], bypassCSP: true });

const BUILD = "HbQ7uLd3Zr9Kx2NfW";
const DEPLOY_BOT = "nMTjo6fLuRuYQcWMh";

/** The ids whose history the page read, in order. */
function historyIds(page) {
  return page.requests
    .filter((r) => r.method === "GET" && r.url.includes("/api/v1/integrations.history"))
    .map((r) => new URL(r.url).searchParams.get("id"));
}

function listReads(page) {
  return page.requests.filter((r) => r.url.includes("/api/v1/integrations.list")).length;
}

/** The ids of the outgoing rows on screen. */
async function outgoingOnScreen(page) {
  return page.locator("table.list-table tbody tr").evaluateAll((rows) =>
    rows.filter((r) => r.querySelector("a[data-key=edit]")?.getAttribute("href")?.includes("/outgoing/")).map((r) => r.dataset.id),
  );
}

function row(page, name) {
  return page.locator("table.list-table tbody tr").filter({ has: page.getByRole("rowheader", { name, exact: true }) });
}

test("strips for the rows on screen, one history read each, cached across pages", async ({ page, shot }) => {
  await signIn(page);
  await expect(page).toHaveURL(/\/integrations$/);
  const rows = page.locator("table.list-table tbody tr");
  await expect(rows).toHaveCount(25);
  const first = await outgoingOnScreen(page);
  expect(first.length).toBeGreaterThan(5);
  // Exactly one history read per outgoing row on screen, each asking for the last 20.
  await expect.poll(() => historyIds(page).length).toBe(first.length);
  expect(new Set(historyIds(page))).toEqual(new Set(first));
  for (const r of page.requests.filter((r) => r.url.includes("integrations.history"))) {
    expect(new URL(r.url).searchParams.get("count")).toBe("20");
  }

  // The failing webhooks: last call and a strip of 20 (2 for the Deploy bot), in words too.
  const build = row(page, "Build notifier");
  await expect(build.locator(".health-last")).toHaveText(/^Failed \d+ days? ago$/);
  await expect(build.locator(".strip .seg")).toHaveCount(20);
  await expect(build.getByRole("img")).toHaveAttribute("aria-label", /^Last 20 calls: \d+ succeeded, \d+ failed(, .*)?\.$/);
  const deploy = row(page, "Deploy bot");
  await expect(deploy.locator(".health-last")).toHaveText(/^Failed \d+ (days?|hours?|minutes?) ago$/);
  await expect(deploy.getByRole("img")).toHaveAttribute("aria-label", "Last 2 calls: 1 succeeded, 1 failed.");
  await expect(row(page, "Load test 0002").locator(".health-last")).toHaveText("No calls yet");
  await expect(row(page, "Load test 0002").locator(".strip")).toHaveCount(0);
  await expect(row(page, "GitHub pushes").locator(".cell-health")).toHaveText("—");
  await expectAccessible(page, "list with health strips");
  await shot("strips-light");
  await page.emulateMedia({ colorScheme: "dark" });
  await shot("strips-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // Page 2 reads its own outgoing rows; back on page 1 nothing is read again.
  await page.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(rows.first()).not.toContainText("Build notifier");
  const second = await outgoingOnScreen(page);
  await expect.poll(() => historyIds(page).length).toBe(first.length + second.length);
  await page.getByRole("link", { name: "Previous" }).click();
  await expect(page).not.toHaveURL(/page=/);
  await expect(row(page, "Build notifier").locator(".strip .seg")).toHaveCount(20);
  await page.goBack();
  await expect(page).toHaveURL(/page=2/);
  await expect(rows.first()).not.toContainText("Build notifier");
  await page.goForward();
  await expect(page).not.toHaveURL(/page=/);
  await expect(row(page, "Deploy bot").locator(".health-last")).toContainText("Failed");
  expect(historyIds(page)).toHaveLength(first.length + second.length);
  expect(new Set(historyIds(page)).size).toBe(first.length + second.length);
});

test("the failing filter: in the address, narrows the page, no new request", async ({ page, shot }) => {
  await signIn(page);
  await expect(page).toHaveURL(/\/integrations$/);
  await expect(page.locator("table.list-table tbody tr")).toHaveCount(25);
  const outgoing = await outgoingOnScreen(page);
  await expect.poll(() => historyIds(page).length).toBe(outgoing.length);
  const lists = listReads(page);

  await page.getByLabel(/Failing only/).check();
  await expect(page).toHaveURL(/[?&]failing=1/);
  const names = page.locator("table.list-table tbody th.cell-name");
  await expect(names).toHaveText(["Build notifier", "Deploy bot"]);
  await expect(page.getByText("2 failing of the 25 webhooks on this page")).toBeVisible();
  expect(listReads(page)).toBe(lists);
  expect(historyIds(page)).toHaveLength(outgoing.length);
  await expectAccessible(page, "list filtered to the failing webhooks");
  await shot("failing-light");
  await page.emulateMedia({ colorScheme: "dark" });
  await shot("failing-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // Reload keeps it: a new list load reads each outgoing row once more.
  await page.reload();
  await expect(page.getByLabel(/Failing only/)).toBeChecked();
  await expect(names).toHaveText(["Build notifier", "Deploy bot"]);
  await expect.poll(() => historyIds(page).length).toBe(2 * outgoing.length);

  // Page 2 holds no failing webhook.
  await page.goto("/integrations?page=2&failing=1");
  await expect(page.getByText("No webhook on this page is failing")).toBeVisible();
  await page.getByRole("link", { name: "Show every webhook" }).click();
  await expect(page).not.toHaveURL(/failing/);
  await expect(page.locator("table.list-table tbody tr")).toHaveCount(25);
  expect(page.url()).toContain(`page=2`);
  expect([BUILD, DEPLOY_BOT].every((id) => historyIds(page).includes(id))).toBe(true);
});
