// The accessibility gate: axe-core (every rule it enables by default: WCAG 2.0/2.1/2.2 A and
// AA, and best practices) finds nothing on any screen or dialog, in light and dark, at 1280
// and 360 px. A failure lists each rule with its impact, the elements (selectors) and what is
// wrong with them. Screenshots of the dialogs in dark mode under target/e2e/screenshots/a11y/.
import { test, expect, signIn, DEMO, holdApp } from "./support/fixtures.mjs";
import { storedSession, revoke, listSettled } from "./support/auth.mjs";
import { expectAccessible } from "./support/axe.mjs";

// axe compiles its messages with `new Function`, which the app's CSP (no 'unsafe-eval')
// refuses; the gate checks the markup and styles, not the policy.
test.use({ bypassCSP: true });
// Independent screens, each worker with its own sandbox: spread over the workers.
test.describe.configure({ mode: "parallel" });

const GITHUB_PUSHES = "3gb9faFQesm2NNexs";
const DEPLOY_BOT = "nMTjo6fLuRuYQcWMh";

async function openList(page) {
  await signIn(page);
  await expect(page).toHaveURL(/\/integrations$/);
  await expect(page.getByRole("table", { name: "Webhook integrations" }).locator("tbody tr")).toHaveCount(10);
}

/** Opens a screen of the signed-in app by its address and waits for its heading and reads. */
async function open(page, path, heading) {
  await page.goto(path, { waitUntil: "networkidle" });
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
}

/** Screenshots the page in dark mode at both widths. */
async function shotDark(page, shot, name) {
  const size = page.viewportSize();
  await page.emulateMedia({ colorScheme: "dark" });
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: 800 });
    await shot(`${name}-${width}-dark`);
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize(size);
}

test("sign-in: password, a mistake, personal access token, two-factor code", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  await expectAccessible(page, "sign-in");

  // Submitted empty: the error summary and the inline errors.
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("There is a problem");
  await expectAccessible(page, "sign-in with errors");

  // A wrong password: the server's refusal.
  await signIn(page, { user: "admin", password: "not-the-password" });
  await expect(page.getByRole("alert")).toContainText("Wrong username, e-mail or password");
  await expectAccessible(page, "sign-in refused");

  await page.getByRole("button", { name: "Use a personal access token instead" }).click();
  await expect(page.getByRole("button", { name: "Use a password instead" })).toBeVisible();
  await expectAccessible(page, "sign-in with a token");

  // Two-factor: the code step.
  await signIn(page, { user: "admin2fa", password: DEMO.password });
  await expect(page.getByRole("button", { name: "Verify" })).toBeVisible();
  await expectAccessible(page, "sign-in code step");
});

test("sign-in before the app's code arrives (index.html's plain-HTML form), and when it does not", async ({ page, shot }) => {
  const release = await holdApp(page);
  await page.goto("/sign-in", { waitUntil: "commit" });
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  expect(await page.locator("#shell").count(), "what is checked is the shell").toBe(1);
  await expectAccessible(page, "sign-in shell");
  await shotDark(page, shot, "sign-in-shell");
  release();
  await expect(page.locator("#shell")).toHaveCount(0);

  // The app's code does not arrive: the shell's message.
  page.expectError(/^TypeError: Failed to fetch$/);
  await page.route(/\/hookpanel-[0-9a-f]{16}_bg\.wasm$/, (route) => route.abort("internetdisconnected"));
  await page.goto("/sign-in", { waitUntil: "commit" });
  await expect(page.getByRole("alert")).toContainText("hookpanel did not load");
  await expectAccessible(page, "sign-in shell, the app did not load");
  await shotDark(page, shot, "sign-in-shell-not-loaded");
});

test("list, empty search, bulk and row delete confirmations, export dialog, import preview", async ({ page, shot }) => {
  await openList(page);
  await expectAccessible(page, "list");

  // A search without a match: the empty state.
  await page.getByRole("searchbox", { name: "Search" }).fill("no such thing");
  await expect(page.locator(".empty-state")).toContainText("No integrations match");
  await expectAccessible(page, "list, no match");
  await page.getByRole("button", { name: "Clear the search" }).click();

  // Two selected, then the bulk confirmation.
  for (const name of ["Deploy bot", "GitHub pushes"]) await page.getByRole("checkbox", { name: `Select ${name}` }).check();
  const bar = page.getByRole("group", { name: "Selected integrations" });
  await expect(bar).toContainText("2 integrations selected");
  await expectAccessible(page, "list with a selection");
  await bar.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("heading")).toHaveText("Delete 2 integrations?");
  await expectAccessible(page, "bulk confirmation");
  await shotDark(page, shot, "bulk-delete-confirmation");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();

  // One row's delete confirmation.
  await page.getByRole("button", { name: /^Delete GitHub pushes/ }).click();
  await expect(dialog.getByRole("heading")).toHaveText("Delete “GitHub pushes”?");
  await expectAccessible(page, "row delete confirmation");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();

  // The export dialog, then its file back as an import preview (every name in use already).
  await page.getByRole("button", { name: "Export all…" }).click();
  await expect(dialog.getByRole("heading")).toHaveText("Export 10 integrations?");
  await expectAccessible(page, "export dialog");
  const downloading = page.waitForEvent("download");
  await dialog.getByRole("button", { name: "Download" }).click();
  const download = await downloading;
  const file = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(file);
  await page.locator("#import-file").setInputFiles(file);
  const panel = page.getByRole("region", { name: /^Import from hookpanel-integrations-/ });
  await expect(panel.locator("tbody tr")).toHaveCount(10);
  await expectAccessible(page, "import preview");
});

test("incoming editor: new, with errors, stored, delete confirmation", async ({ page, shot }) => {
  await openList(page);
  await open(page, "/integrations/new/incoming", "New incoming webhook");
  await expectAccessible(page, "new incoming webhook");

  await page.getByRole("button", { name: "Create webhook" }).click();
  await expect(page.locator("#error-summary")).toBeFocused();
  await expectAccessible(page, "new incoming webhook with errors");

  await open(page, `/integrations/incoming/${GITHUB_PUSHES}`, "GitHub pushes");
  await expectAccessible(page, "stored incoming webhook");
  await shotDark(page, shot, "stored-incoming");

  await page.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Delete “GitHub pushes”?");
  await expectAccessible(page, "delete confirmation");
  await shotDark(page, shot, "delete-confirmation");
});

test("the script lab: open, and after a run", async ({ page, shot }) => {
  await openList(page);
  await open(page, `/integrations/incoming/${GITHUB_PUSHES}`, "GitHub pushes");
  await page.locator("details.lab > summary").click();
  await expect(page.locator(".lab").getByRole("button", { name: "Run" })).toBeVisible();
  await expectAccessible(page, "script lab, open");
  await page.locator(".lab").getByRole("button", { name: "Run" }).click();
  await expect(page.locator(".lab-step").first()).toBeVisible({ timeout: 10_000 });
  await expect(page.locator(".lab .btn-primary")).toHaveText("Run", { timeout: 10_000 });
  await expectAccessible(page, "script lab, after a run");
  await shotDark(page, shot, "script-lab-run");
});

test("outgoing editor: new, with errors, stored", async ({ page }) => {
  await openList(page);
  await open(page, "/integrations/new/outgoing", "New outgoing webhook");
  await expectAccessible(page, "new outgoing webhook");

  await page.getByRole("button", { name: "Create webhook" }).click();
  await expect(page.locator("#error-summary")).toBeFocused();
  await expectAccessible(page, "new outgoing webhook with errors");

  await open(page, `/integrations/outgoing/${DEPLOY_BOT}`, "Deploy bot");
  await expectAccessible(page, "stored outgoing webhook");
});

test("call history, expanded; about", async ({ page }) => {
  await openList(page);
  await open(page, `/integrations/outgoing/${DEPLOY_BOT}/history`, "Call history");
  const calls = page.getByRole("list", { name: "Calls, newest first" }).locator(":scope > li");
  await expect(calls).toHaveCount(2);
  await expectAccessible(page, "call history");
  await calls.first().locator("summary").click();
  await expect(calls.first().locator("dl")).toBeVisible();
  await expectAccessible(page, "call history, an entry expanded");

  await open(page, "/about", "About this server");
  await expectAccessible(page, "about");
});

test("the sign-in-again dialog over the list", async ({ page, sandbox, shot }) => {
  await openList(page);
  await listSettled(page);
  await revoke(sandbox.url, (await storedSession(page)).value);
  await page.getByRole("link", { name: "About this server" }).click();
  await page.getByRole("link", { name: "Integrations" }).click();
  const dialog = page.getByRole("dialog", { name: "Your session has expired" });
  await expect(dialog).toBeVisible();
  await expectAccessible(page, "sign-in-again dialog");
  await shotDark(page, shot, "sign-in-again");

  // Submitted without the password: its errors inside the dialog.
  await dialog.getByRole("button", { name: "Sign in" }).click();
  await expect(dialog.getByRole("alert")).toContainText("There is a problem");
  await expectAccessible(page, "sign-in-again dialog with errors");
});
