// The skeleton's promise: open the app, sign in as the demo admin, see the seeded integrations.
import { test, expect, signIn, DEMO } from "./support/fixtures.mjs";

test("sign in as the demo admin and see the seeded integrations", async ({ page, shot }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByLabel("Server address")).toHaveValue(new URL(page.url()).origin);
  await shot("sign-in-page");

  await signIn(page, DEMO);
  await expect(page).toHaveURL(/\/integrations/);
  const table = page.getByRole("table", { name: "Webhook integrations" });
  await expect(table).toBeVisible();
  const rows = table.locator("tbody tr");
  expect(await rows.count()).toBeGreaterThanOrEqual(4);
  await expect(table).toContainText("Incoming");
  await expect(table).toContainText("Outgoing");
  await expect(page.getByText("Signed in as")).toContainText(DEMO.user);
  await shot("integrations-list");

  // The session survives a reload.
  await page.reload();
  await expect(table).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await shot("signed-out");
});

test("wrong credentials get a clear message and keep what was typed", async ({ page, shot }) => {
  await signIn(page, { user: "admin", password: "not-the-password" });
  await expect(page.getByRole("alert")).toContainText("Wrong username, e-mail or password");
  await expect(page.getByLabel("Username or e-mail")).toHaveValue("admin");
  await shot("wrong-password");
});

test("an unreachable server gets a clear message", async ({ page, shot }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Server address").fill("http://127.0.0.1:9");
  await page.getByLabel("Username or e-mail").fill("admin");
  await page.getByLabel("Password", { exact: true }).fill("x");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("Nothing answered at this address");
  await expect(page.getByRole("alert")).toContainText("Check the address");
  await shot("unreachable");
});
