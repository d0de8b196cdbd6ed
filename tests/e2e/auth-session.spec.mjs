// When things go wrong mid-work: an expired session (401) opens a sign-in dialog over the
// page; a rate limit (429) makes reads wait and try again; permissions shape what is offered.
import { test, expect, signIn, DEMO } from "./support/fixtures.mjs";
import { control } from "./support/sandbox.mjs";
import { storedSession, revoke, shotAllLooks, listSettled } from "./support/auth.mjs";

const dialog = (page) => page.getByRole("dialog", { name: "Your session has expired" });

test("an expired session opens the sign-in dialog over the page; the read resumes after it", async ({ page, sandbox, shot }) => {
  await signIn(page, DEMO);
  const table = page.getByRole("table", { name: "Webhook integrations" });
  await listSettled(page);
  const before = await storedSession(page);
  await revoke(sandbox.url, before.value);

  // Going back to the list reads it again: the server refuses the dead token.
  await page.getByRole("link", { name: "About this server" }).click();
  await page.getByRole("link", { name: "Integrations" }).click();
  await expect(dialog(page)).toBeVisible();
  await expect(page).toHaveURL(/\/integrations$/);
  const password = dialog(page).getByLabel("Password", { exact: true });
  await expect(dialog(page).getByLabel("Username or e-mail")).toHaveValue("admin");
  await expect(dialog(page).getByLabel("Server address")).toBeHidden();
  await shotAllLooks(page, shot, "expired-dialog");

  await password.fill(DEMO.password);
  await dialog(page).getByRole("button", { name: "Sign in" }).click();
  await expect(dialog(page)).toBeHidden();
  await expect(table).toBeVisible();
  const after = await storedSession(page);
  expect(after.value.auth_token).not.toBe(before.value.auth_token);
  expect(after.where).toBe("session");
  // The refused read went again, with the new token, and only once more.
  const lists = page.requests.filter((r) => r.url.includes("/api/v1/integrations.list"));
  expect(lists.length).toBe(3);
});

test("“Not now” closes the dialog and leaves the page and its error; trying again asks again", async ({ page, sandbox }) => {
  await signIn(page, DEMO);
  await listSettled(page);
  await revoke(sandbox.url, (await storedSession(page)).value);
  await page.getByRole("link", { name: "About this server" }).click();
  await page.getByRole("link", { name: "Integrations" }).click();
  await expect(dialog(page)).toBeVisible();
  await dialog(page).getByRole("button", { name: "Not now" }).click();
  await expect(dialog(page)).toBeHidden();
  await expect(page.getByRole("alert")).toContainText("your session has expired");
  await page.getByRole("button", { name: "Retry" }).click();
  await expect(dialog(page)).toBeVisible();
  // Escape gives up too.
  await page.keyboard.press("Escape");
  await expect(dialog(page)).toBeHidden();
});

test("an edit survives the session expiring: sign in again in the dialog, then save", async ({ page, sandbox }) => {
  await signIn(page, DEMO);
  // Signed in (the session stored) before the page is left: a reload any sooner signs out.
  await expect(page).toHaveURL(/\/integrations$/);
  await page.goto("/integrations/incoming/3gb9faFQesm2NNexs");
  const placeholder = await page.getByRole("heading", { name: "Not built yet" }).isVisible();
  test.skip(placeholder, "the incoming edit page (issue 5) is not merged into this branch yet");
  const alias = page.getByLabel("Alias");
  await expect(alias).toHaveValue("GitHub");
  await alias.fill("GitHub after expiry");
  // The channel and user checks are reads too: let them run (they start a moment after the
  // page) and finish, so the save meets the expiry.
  await expect(page.locator(".entry-state.found")).toHaveCount(2);
  await expect(page.locator(".entry-state.pending")).toHaveCount(0);
  await revoke(sandbox.url, (await storedSession(page)).value);
  const beforeSave = page.requests.length;
  await page.getByRole("button", { name: /^Save/ }).click();
  await expect(dialog(page)).toBeVisible();
  await dialog(page).getByLabel("Password", { exact: true }).fill(DEMO.password);
  await dialog(page).getByRole("button", { name: "Sign in" }).click();
  await expect(dialog(page)).toBeHidden();
  await expect(alias, "nothing typed is lost").toHaveValue("GitHub after expiry");
  // The save met the expiry at its read of the stored copy: reads wait for the sign-in and
  // are sent again, so the save goes on and writes once.
  await expect(page.getByRole("status")).toContainText("Saved");
  const since = page.requests.slice(beforeSave);
  const reads = since.filter((r) => r.method === "GET" && r.url.includes("/api/v1/integrations.get?"));
  expect(reads.length, "the read at save, refused, then sent again").toBe(2);
  const saved = since.filter((r) => r.method === "PUT" && r.url.endsWith("/api/v1/integrations.update"));
  expect(saved.length).toBe(1);
  await page.reload();
  await expect(alias).toHaveValue("GitHub after expiry");
});

test("a rate-limited read waits the time the server asks, then tries once more", async ({ page }) => {
  await signIn(page, DEMO);
  await expect(page.getByRole("table", { name: "Webhook integrations" })).toBeVisible();
  let refused = 0;
  const times = [];
  await page.route("**/api/v1/integrations.list*", async (route) => {
    times.push(Date.now());
    if (refused++ > 0) return route.continue();
    await route.fulfill({
      status: 429,
      contentType: "application/json",
      body: JSON.stringify({ success: false, error: "Error, too many requests. Please slow down. You must wait 2 seconds before trying this endpoint again. [error-too-many-requests]" }),
    });
  });
  await page.getByRole("link", { name: "About this server" }).click();
  await page.getByRole("link", { name: "Integrations" }).click();
  await expect(page.getByRole("status")).toContainText("trying again in 2 seconds");
  await expect(page.getByRole("table", { name: "Webhook integrations" })).toBeVisible();
  expect(times.length).toBe(2);
  expect(times[1] - times[0]).toBeGreaterThanOrEqual(1900);
});

test("a rate-limited sign-in (a write) says how long to wait and is not sent again", async ({ page, sandbox, shot }) => {
  await control(sandbox.url, "config", { rateLimit: true });
  await page.goto("/sign-in");
  await page.getByLabel("Username or e-mail").fill("admin");
  const password = page.getByLabel("Password", { exact: true });
  const submit = page.getByRole("button", { name: "Sign in" });
  const alert = page.getByRole("alert");
  for (let i = 0; i < 10; i += 1) {
    await password.fill(`wrong-${i}`);
    await submit.click();
    await expect(alert).toContainText("Wrong username, e-mail or password");
    await expect(submit).toBeEnabled();
  }
  await password.fill("wrong-again");
  await submit.click();
  await expect(alert).toContainText(/Too many requests\. Wait \d+ seconds, then try again\./);
  await shot("rate-limited-sign-in");
  await page.waitForTimeout(1500);
  expect(page.requests.filter((r) => r.url.endsWith("/api/v1/login")).length).toBe(11);
});

test("an own-permissions user sees what their role allows, in plain words", async ({ page, shot }) => {
  await signIn(page, { user: "owner", password: DEMO.password });
  await expect(page).toHaveURL(/\/integrations$/);
  // The server lists only what they created.
  const rows = page.getByRole("table", { name: "Webhook integrations" }).locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await page.getByRole("link", { name: "About this server" }).click();
  const summary = page.locator("#permission-summary");
  await expect(summary).toContainText("You can create incoming webhooks, and see, change and delete only those you created.");
  await expect(summary).toContainText("You can create outgoing webhooks, and see, change and delete only those you created.");
  await expect(summary).toContainText("events without a channel");
  await expect(summary).toContainText("member of every #room");
  const permissions = page.getByRole("table", { name: "Your integration permissions" });
  await expect(permissions.getByRole("row")).toHaveText([
    /manage-incoming-integrations\s*No/,
    /manage-own-incoming-integrations\s*Yes/,
    /manage-outgoing-integrations\s*No/,
    /manage-own-outgoing-integrations\s*Yes/,
  ]);
  await shotAllLooks(page, shot, "about-owner");
});

test("a person without integration rights is told so in plain words", async ({ page }) => {
  await signIn(page, { user: "alice", password: DEMO.password });
  await expect(page.getByRole("alert")).toContainText("Your role cannot manage integrations. Ask an administrator");
  await page.getByRole("link", { name: "About this server" }).click();
  await expect(page.locator("#permission-summary")).toHaveText(/Your role cannot manage integrations/);
});
