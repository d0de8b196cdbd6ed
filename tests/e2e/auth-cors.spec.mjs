// The app on another origin than the API (spec §7): with CORS off the browser refuses the
// calls, and the app tells that from an unreachable server and says what to change; once the
// server allows this origin, signing in works.
import { test, expect, DEMO } from "./support/fixtures.mjs";
import { control } from "./support/sandbox.mjs";
import { serveApp } from "./support/origin.mjs";
import { shotAllLooks } from "./support/auth.mjs";

let app;
test.beforeAll(async () => {
  app = await serveApp();
});
test.afterAll(async () => {
  await app?.close();
});

async function signInAt(page, server) {
  await page.getByLabel("Server address").fill(server);
  await page.getByLabel("Username or e-mail").fill(DEMO.user);
  await page.getByLabel("Password", { exact: true }).fill(DEMO.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("CORS off: the app says the server refuses this origin and what to change; on: it works", async ({ page, sandbox, shot }) => {
  await page.goto(`${app.url}/sign-in`);
  await expect(page.getByLabel("Server address")).toHaveValue(app.url);
  await signInAt(page, sandbox.url);
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("The server answers, but does not allow this page to use its API (CORS)");
  await expect(alert).toContainText("API_Enable_CORS");
  await expect(alert).toContainText(`add ${app.url} to CORS Origin (API_CORS_Origin)`);
  await expect(alert).toContainText("reverse proxy");
  await expect(alert).toBeFocused();
  await shotAllLooks(page, shot, "cors-refused");

  // Allowed, but for another origin: still refused, still explained.
  await control(sandbox.url, "config", { cors: "https://elsewhere.example" });
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(alert).toContainText("does not allow this page to use its API (CORS)");

  await control(sandbox.url, "config", { cors: app.url });
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${app.url}/integrations`);
  await expect(page.getByRole("table", { name: "Webhook integrations" })).toBeVisible();
  await page.getByRole("link", { name: "About this server" }).click();
  await expect(page.getByText("This page is on another origin than the server")).toBeVisible();
  await expect(page.getByRole("row", { name: /This page's origin/ })).toContainText(app.url);
});

test("from another origin, an address where nothing answers is not blamed on CORS", async ({ page, shot }) => {
  await page.goto(`${app.url}/sign-in`);
  await signInAt(page, "http://127.0.0.1:9");
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Nothing answered at this address");
  await expect(alert).not.toContainText("CORS");
  await shot("unreachable-elsewhere");
});
