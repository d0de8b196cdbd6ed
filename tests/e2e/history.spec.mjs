// The outgoing call history: read, expand, replay, clear — and the actions hidden before 8.7.
import { test, expect, signIn } from "./support/fixtures.mjs";
import { control } from "./support/sandbox.mjs";

const DEPLOY_BOT = "nMTjo6fLuRuYQcWMh";

test("history of an outgoing webhook: expand, replay, clear", async ({ page, sandbox, shot }) => {
  await signIn(page);
  await expect(page).toHaveURL(/\/integrations/);
  await page.goto(`/integrations/outgoing/${DEPLOY_BOT}/history`);
  await expect(page.getByRole("heading", { name: "Call history" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Deploy bot" })).toBeVisible();
  const calls = page.getByRole("list", { name: "Calls, newest first" }).locator(":scope > li");
  await expect(calls).toHaveCount(2);
  await expect(page.getByText("Showing 1–2 of 2")).toBeVisible();
  await expect(calls.filter({ hasText: "Failed" })).toHaveCount(1);
  await shot("history");

  // Expanding an entry shows what was sent, as JSON.
  await calls.first().locator("summary").click();
  await expect(calls.first().locator("dl")).toBeVisible();
  await shot("history-expanded");

  // Replay: visible feedback and a new call at the top.
  const before = (await control(sandbox.url, "receiver/deploy")).calls?.length ?? 0;
  await calls.first().getByRole("button", { name: "Replay" }).click();
  await expect(page.getByRole("status")).toContainText("Replay sent");
  await expect(calls).toHaveCount(3);
  await expect.poll(async () => (await control(sandbox.url, "receiver/deploy")).calls?.length ?? 0).toBeGreaterThan(before);
  await shot("history-replayed");

  // Clear: asks first, naming the webhook, then the history is empty.
  await page.getByRole("button", { name: "Clear history" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Clear the call history of “Deploy bot”?");
  await shot("clear-confirmation");
  await dialog.getByRole("button", { name: "Clear history" }).click();
  await expect(page.getByText("This webhook has not been called yet")).toBeVisible();
  await expect(page.getByRole("status")).toContainText("History cleared");
  await shot("history-cleared");
});

test("before 8.7, replay and clear are hidden with a one-line explanation", async ({ page, sandbox, shot }) => {
  await control(sandbox.url, "config", { serverVersion: "8.6.0" });
  await signIn(page);
  await expect(page).toHaveURL(/\/integrations/);
  await page.goto(`/integrations/outgoing/${DEPLOY_BOT}/history`);
  await expect(page.getByRole("list", { name: "Calls, newest first" }).locator(":scope > li")).toHaveCount(2);
  await expect(page.locator("#history-old-server")).toContainText("need Rocket.Chat 8.7 or newer; this server runs 8.6");
  await expect(page.getByRole("button", { name: "Replay" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Clear history" })).toHaveCount(0);
  await shot("history-8.6");
});
