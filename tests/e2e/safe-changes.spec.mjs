// Safe changes (issue 15) end to end: two admins in two browser contexts edit the same
// webhook and the second save shows the conflict, writing nothing until it is resolved; a
// breaking change is reviewed before it is saved, a cosmetic one saves at once; an incoming
// URL is rotated, the new URL posts, the old one works until it is disabled or deleted. The
// conflict, the review and the rotation pass axe and are photographed in both themes.
import { test, expect, signIn } from "./support/fixtures.mjs";
import { control, claimedVersion } from "./support/sandbox.mjs";
import { checkRequest } from "./support/contract.mjs";
import { mkdirSync } from "node:fs";
import { expectAccessible } from "./support/axe.mjs";

// axe compiles its messages with `new Function`, which the app's CSP refuses (see a11y.spec.mjs).
test.use({ bypassCSP: true });

const GITHUB_PUSHES = "3gb9faFQesm2NNexs";
const DEPLOY_BOT = "nMTjo6fLuRuYQcWMh";
const SCRIPT = `class Script {
  prepare_outgoing_request({ request }) {
    return request; // reviewed
  }
}`;
const ADMIN_PAT = { "X-User-Id": "9ZWavJhzHXNEXeSz6", "X-Auth-Token": "VkC1cXe3wpf5tmr97gkiXC2Fpwm2x8ViYmT8JbeqmX5" };

const SHOTS = new URL("../../target/e2e/screenshots/safe-changes/", import.meta.url).pathname;

/** Screenshots what is on screen (a dialog over the page) light and dark, 1280 and 360 px wide. */
async function shotLooks(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  const size = page.viewportSize();
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${SHOTS}${name}-${width}-${scheme}.png` });
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize(size);
}

/** Requests the page sent to one endpoint (path only), since `from`. */
function calls(page, method, endpoint, from = 0) {
  return page.requests.slice(from).filter((r) => r.method === method && new URL(r.url).pathname === endpoint);
}

/** The stored webhook, read behind the app's back with admin's personal access token. */
async function stored(base, id) {
  const res = await fetch(`${base}/api/v1/integrations.get?integrationId=${id}`, { headers: ADMIN_PAT });
  return (await res.json()).integration;
}

/** A second browser context signed in as another admin, its requests contract-checked too. */
async function secondAdmin(browser, sandbox) {
  const context = await browser.newContext({ baseURL: sandbox.url, bypassCSP: true });
  const page = await context.newPage();
  page.requests = [];
  page.violations = [];
  page.on("request", (req) => {
    const entry = { method: req.method(), url: req.url(), body: req.postData() };
    page.requests.push(entry);
    page.violations.push(...checkRequest(entry.method, entry.url, entry.body, claimedVersion(sandbox.url)));
  });
  await signIn(page, { user: "dana", password: "hookpanel-demo" });
  await expect(page).toHaveURL(/\/integrations$/);
  return { context, page };
}

async function openEdit(page, kind, id, name) {
  await page.goto(`/integrations/${kind}/${id}`);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  // Let the channel and user checks run (they start a moment after the page) and finish, so
  // the counts below are the saves' alone.
  await expect(page.locator(".entry-state").first()).toBeVisible();
  await expect(page.locator(".entry-state.pending")).toHaveCount(0);
}

/** POSTs a message to a webhook URL as a sender would; the HTTP status. */
async function post(url, text) {
  const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text }) });
  return res.status;
}

test("two admins edit the same webhook: the second save shows the conflict and writes nothing until resolved", async ({ page, browser, sandbox }) => {
  await signIn(page);
  await expect(page).toHaveURL(/\/integrations$/);
  const dana = await secondAdmin(browser, sandbox);
  await openEdit(page, "incoming", GITHUB_PUSHES, "GitHub pushes");
  await openEdit(dana.page, "incoming", GITHUB_PUSHES, "GitHub pushes");

  // Dana saves first: a cosmetic change, saved at once with one read and one write.
  await dana.page.getByLabel("Alias").fill("GitHub by Dana");
  await dana.page.getByLabel("Name").fill("GitHub pushes (team)");
  let from = dana.page.requests.length;
  await dana.page.getByRole("button", { name: "Save changes" }).click();
  await expect(dana.page.getByRole("status")).toContainText("Saved");
  expect(calls(dana.page, "GET", "/api/v1/integrations.get", from)).toHaveLength(1);
  expect(calls(dana.page, "PUT", "/api/v1/integrations.update", from)).toHaveLength(1);
  expect((await stored(sandbox.url, GITHUB_PUSHES))._updatedBy.username).toBe("dana");

  // Admin, still on the copy from before, changes the alias too and the emoji: nothing is written.
  await page.getByLabel("Alias").fill("GitHub by Admin");
  await page.getByLabel("Emoji").fill(":rocket:");
  from = page.requests.length;
  await page.getByRole("button", { name: "Save changes" }).click();
  const dialog = page.getByRole("dialog", { name: "Someone else saved this webhook" });
  await expect(dialog).toBeVisible();
  expect(calls(page, "GET", "/api/v1/integrations.get", from), "the one read at save").toHaveLength(1);
  expect(calls(page, "PUT", "/api/v1/integrations.update", from), "nothing written").toHaveLength(0);
  await expect(dialog).toContainText("Changed by dana");
  const theirs = dialog.locator("h3:has-text('Their changes') + ul");
  await expect(theirs.getByRole("listitem")).toHaveCount(1);
  await expect(theirs).toContainText("Name");
  await expect(theirs).toContainText("GitHub pushes (team)");
  const mine = dialog.locator("h3:has-text('Your changes') + ul");
  await expect(mine).toContainText("Emoji");
  const alias = dialog.getByRole("group", { name: /^Alias/ });
  await expect(alias.getByRole("radio", { name: /Yours: GitHub by Admin/ })).toBeVisible();
  await expect(alias.getByRole("radio", { name: /Theirs: GitHub by Dana/ })).toBeVisible();
  const before = await stored(sandbox.url, GITHUB_PUSHES);
  expect(before.alias).toBe("GitHub by Dana");
  await expectAccessible(page, "conflict dialog");
  await shotLooks(page, "conflict");

  // Saving without a choice asks for one, still writing nothing.
  await dialog.getByRole("button", { name: "Save merged result" }).click();
  await expect(dialog.getByRole("alert")).toContainText("Choose yours or theirs for: Alias.");
  expect(calls(page, "PUT", "/api/v1/integrations.update", from)).toHaveLength(0);

  // Mine for the alias: the merge keeps Dana's name, my alias and emoji.
  await alias.getByRole("radio", { name: /Yours/ }).check();
  await dialog.getByRole("button", { name: "Save merged result" }).click();
  await expect(page.getByRole("status")).toContainText("Saved");
  await expect(dialog).toBeHidden();
  expect(calls(page, "GET", "/api/v1/integrations.get", from), "read at the first and at the merged save").toHaveLength(2);
  const writes = calls(page, "PUT", "/api/v1/integrations.update", from);
  expect(writes).toHaveLength(1);
  expect(JSON.parse(writes[0].body)).toMatchObject({ name: "GitHub pushes (team)", alias: "GitHub by Admin", emoji: ":rocket:" });
  const merged = await stored(sandbox.url, GITHUB_PUSHES);
  expect(merged).toMatchObject({ name: "GitHub pushes (team)", alias: "GitHub by Admin", emoji: ":rocket:" });
  expect(merged._updatedBy.username).toBe("admin");
  await expect(page.getByLabel("Name")).toHaveValue("GitHub pushes (team)");

  // Dana, now behind, changes the avatar: "Reload, keep my draft" takes the stored copy
  // and keeps her change unsaved; her next save goes through.
  await dana.page.getByLabel("Avatar").fill("https://example.com/dana.png");
  from = dana.page.requests.length;
  await dana.page.getByRole("button", { name: "Save changes" }).click();
  const danaDialog = dana.page.getByRole("dialog", { name: "Someone else saved this webhook" });
  await expect(danaDialog).toContainText("Changed by admin");
  await danaDialog.getByRole("button", { name: "Reload, keep my draft" }).click();
  await expect(danaDialog).toBeHidden();
  expect(calls(dana.page, "PUT", "/api/v1/integrations.update", from)).toHaveLength(0);
  await expect(dana.page.getByLabel("Alias")).toHaveValue("GitHub by Admin");
  await expect(dana.page.getByLabel("Emoji")).toHaveValue(":rocket:");
  await expect(dana.page.getByLabel("Avatar")).toHaveValue("https://example.com/dana.png");
  await dana.page.getByRole("button", { name: "Save changes" }).click();
  await expect(dana.page.getByRole("status")).toContainText("Saved");
  expect(calls(dana.page, "GET", "/api/v1/integrations.get", from)).toHaveLength(2);
  expect(calls(dana.page, "PUT", "/api/v1/integrations.update", from)).toHaveLength(1);
  expect(await stored(sandbox.url, GITHUB_PUSHES)).toMatchObject({ alias: "GitHub by Admin", avatar: "https://example.com/dana.png" });

  expect(dana.page.violations, "requests that Rocket.Chat's published schemas reject").toEqual([]);
  await dana.context.close();
});

test("a breaking change is reviewed before saving, a cosmetic one saves at once", async ({ page, sandbox }) => {
  await signIn(page);
  await expect(page).toHaveURL(/\/integrations$/);
  await openEdit(page, "outgoing", DEPLOY_BOT, "Deploy bot");

  // Cosmetic: saved at once, no review.
  await page.getByLabel("Alias").fill("Deployer 2");
  let from = page.requests.length;
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status")).toContainText("Saved");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  expect(calls(page, "GET", "/api/v1/integrations.get", from)).toHaveLength(1);
  expect(calls(page, "PUT", "/api/v1/integrations.update", from)).toHaveLength(1);

  // Breaking: other URLs and a new token, and a script line. Save opens the review first.
  const url = `${sandbox.url}/sandbox/receiver/elsewhere`;
  await page.getByLabel("URLs").fill(url);
  await page.getByRole("button", { name: "Regenerate" }).click();
  await expect(page.locator("#token-changed")).toContainText("the receiving service must be given it");
  await page.getByRole("switch", { name: "Script enabled" }).check();
  await page.getByLabel("Script", { exact: true }).fill(SCRIPT);
  from = page.requests.length;
  await page.getByRole("button", { name: "Save changes" }).click();
  const review = page.getByRole("dialog", { name: "Review changes" });
  await expect(review).toBeVisible();
  expect(calls(page, "GET", "/api/v1/integrations.get", from)).toHaveLength(0);
  expect(calls(page, "PUT", "/api/v1/integrations.update", from)).toHaveLength(0);
  await expect(review.locator(".alert-warning")).toContainText("4 changes can break this webhook");
  const items = review.locator(".change-list > li");
  await expect(items.filter({ hasText: "URLs" })).toContainText("Can break the webhook: Other addresses will be called.");
  await expect(items.filter({ hasText: "URLs" })).toContainText(url);
  await expect(items.filter({ hasText: "Token" })).toContainText("hidden (");
  await expect(items.filter({ hasText: "Token" })).toContainText("The receiving service must be given the new token");
  const diff = review.getByRole("list", { name: "Script: +5 −0" });
  await expect(diff.getByRole("listitem")).toHaveCount(5);
  await expect(diff.locator("li.diff-add").nth(2)).toContainText("Added line 3:");
  await expect(diff.locator("li.diff-add").nth(2)).toContainText("return request; // reviewed");
  await expectAccessible(page, "review dialog");
  await shotLooks(page, "review");

  // One more click saves what was reviewed.
  await review.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status")).toContainText("Saved");
  expect(calls(page, "GET", "/api/v1/integrations.get", from)).toHaveLength(1);
  expect(calls(page, "PUT", "/api/v1/integrations.update", from)).toHaveLength(1);
  expect((await stored(sandbox.url, DEPLOY_BOT)).urls).toEqual([url]);

  // "Review changes" shows an edit without saving; Cancel leaves it unsaved.
  await page.getByLabel("Trigger words").fill("!ship");
  await page.getByRole("button", { name: "Review changes" }).click();
  await expect(review.locator(".change-list > li")).toHaveCount(1);
  await expect(review).toContainText("Trigger words");
  await review.getByRole("button", { name: "Cancel" }).click();
  await expect(review).toBeHidden();
  expect(calls(page, "PUT", "/api/v1/integrations.update", from)).toHaveLength(1);
});

const OLD_TOKEN = "toRTGiR9do22sfT99KbNjj45TJ7yFwNJuhDzzSLQQg8pcLuD";
const ROTATED = "New URL ready: “GitHub pushes (rotated)”";

/** Opens GitHub pushes and rotates its URL; the rotation screen that shows the pair. */
async function rotate(page) {
  await signIn(page);
  await expect(page).toHaveURL(/\/integrations$/);
  await openEdit(page, "incoming", GITHUB_PUSHES, "GitHub pushes");
  await page.getByRole("button", { name: "Rotate URL…" }).click();
  const ask = page.getByRole("dialog", { name: "Rotate the URL of “GitHub pushes”?" });
  await expect(ask).toContainText("A copy named “GitHub pushes (rotated)”");
  await ask.getByRole("button", { name: "Create the new URL" }).click();
  const screen = page.getByRole("dialog", { name: ROTATED });
  await expect(screen).toBeVisible();
  return screen;
}

test("rotating an incoming URL: the new URL posts, the old one works until it is disabled", async ({ page, sandbox }) => {
  const oldUrl = `${sandbox.url}/hooks/${GITHUB_PUSHES}/${OLD_TOKEN}`;
  const screen = await rotate(page);
  const creates = calls(page, "POST", "/api/v1/integrations.create");
  expect(creates).toHaveLength(1);
  expect(JSON.parse(creates[0].body)).toMatchObject({ type: "webhook-incoming", name: "GitHub pushes (rotated)", channel: "#dev", alias: "GitHub", emoji: ":octocat:", scriptEnabled: true });
  expect(JSON.parse(creates[0].body).token, "the server makes the token").toBeUndefined();
  await expect(screen.getByRole("textbox", { name: "Old URL" })).toHaveValue(new RegExp(`/hooks/${GITHUB_PUSHES}/•+$`));
  await screen.getByRole("button", { name: "Show new url" }).click();
  const newUrl = await screen.getByRole("textbox", { name: "New URL" }).inputValue();
  expect(newUrl).toMatch(new RegExp(`^${sandbox.url}/hooks/[^/]+/[A-Za-z0-9%_-]{20,}$`));
  expect(newUrl).not.toContain(GITHUB_PUSHES);
  await expect(screen.locator("pre.code")).toContainText("curl -X POST");
  await screen.getByRole("button", { name: "Hide new url" }).click();
  await expectAccessible(page, "rotation screen");
  await shotLooks(page, "rotation");

  // Both URLs post now; the messages arrive in #dev.
  expect(await post(newUrl, "via the new URL")).toBe(200);
  expect(await post(oldUrl, "via the old URL")).toBe(200);
  const texts = (await control(sandbox.url, "messages?room=dev")).messages.map((m) => m.msg);
  expect(texts.slice(-2)).toEqual(["via the new URL", "via the old URL"]);

  // The later step: disable the old one (through the review), then it answers as disabled.
  await screen.getByRole("button", { name: "Disable the old webhook" }).click();
  const review = page.getByRole("dialog", { name: "Review changes" });
  await expect(review).toContainText("The webhook will stop working.");
  await review.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status")).toContainText("Saved");
  expect((await stored(sandbox.url, GITHUB_PUSHES)).enabled).toBe(false);
  expect(await post(oldUrl, "too late")).toBe(503);
  expect(await post(newUrl, "still fine")).toBe(200);
  await page.getByRole("button", { name: "Show old and new URL" }).click();
  await expect(screen.locator(".alert-success")).toContainText("The old webhook is disabled");
  await screen.getByRole("button", { name: "Close" }).click();

  // The list shows the pair: the old one disabled, the copy marked by its name.
  await page.goto("/integrations");
  const table = page.getByRole("table", { name: "Webhook integrations" });
  await expect(table.getByRole("link", { name: "GitHub pushes (rotated)", exact: true })).toBeVisible();
  await expect(table.getByRole("link", { name: "GitHub pushes", exact: true })).toBeVisible();
});

test("rotating, then deleting the old webhook from the rotation screen: asked first, the new URL keeps posting", async ({ page, sandbox }) => {
  const oldUrl = `${sandbox.url}/hooks/${GITHUB_PUSHES}/${OLD_TOKEN}`;
  const screen = await rotate(page);
  await screen.getByRole("button", { name: "Show new url" }).click();
  const newUrl = await screen.getByRole("textbox", { name: "New URL" }).inputValue();

  // Asked first: cancelling deletes nothing.
  const from = page.requests.length;
  await screen.getByRole("button", { name: "Delete the old webhook…" }).click();
  await expect(page.getByRole("dialog", { name: ROTATED })).toBeHidden();
  const confirm = page.getByRole("dialog", { name: "Delete “GitHub pushes”?" });
  await expect(confirm).toBeVisible();
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();
  expect(calls(page, "POST", "/api/v1/integrations.remove", from)).toHaveLength(0);
  expect(await post(oldUrl, "still here")).toBe(200);

  // Back to the pair, and confirmed: the old one is removed once, by its id, and the app
  // goes back to the list.
  await page.getByRole("button", { name: "Show old and new URL" }).click();
  await screen.getByRole("button", { name: "Delete the old webhook…" }).click();
  await confirm.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page).toHaveURL(/\/integrations$/);
  const removed = calls(page, "POST", "/api/v1/integrations.remove", from);
  expect(removed).toHaveLength(1);
  expect(JSON.parse(removed[0].body)).toMatchObject({ type: "webhook-incoming", integrationId: GITHUB_PUSHES });
  const table = page.getByRole("table", { name: "Webhook integrations" });
  await expect(table.getByRole("link", { name: "GitHub pushes (rotated)", exact: true })).toBeVisible();
  await expect(table.getByRole("link", { name: "GitHub pushes", exact: true })).toHaveCount(0);

  // The old URL no longer posts; the new one does, into the same room.
  expect(await post(oldUrl, "gone")).not.toBe(200);
  expect(await post(newUrl, "after the delete")).toBe(200);
  const texts = (await control(sandbox.url, "messages?room=dev")).messages.map((m) => m.msg);
  expect(texts.at(-1)).toBe("after the delete");
  expect(texts).not.toContain("gone");
});
