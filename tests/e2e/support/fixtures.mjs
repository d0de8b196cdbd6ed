// Playwright fixtures shared by every end-to-end spec:
//  - `sandbox`: a private sandbox per worker, reset to its seed before each test;
//  - `page`: Chromium at the sandbox, with the contract check on every /api request;
//  - `shot(name)`: saves a numbered screenshot under target/e2e/screenshots/<spec>/.
import { test as base, expect } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { join, basename } from "node:path";
import { startSandbox, control, claimedVersion } from "./sandbox.mjs";
import { checkRequest } from "./contract.mjs";

const root = new URL("../../../", import.meta.url).pathname;

export const DEMO = { user: "admin", password: "hookpanel-demo" };
export const DEFAULT_CONFIG = { serverVersion: "8.8.1", cors: "off", rateLimit: false };

export const test = base.extend({
  // Extra sandbox flags for a spec file (top level: `test.use({ sandboxArgs: ["--seed-large", "60"] })`);
  // other flags mean a worker, and so a sandbox, of its own.
  sandboxArgs: [[], { scope: "worker", option: true }],
  sandbox: [
    async ({ sandboxArgs }, use) => {
      const server = await startSandbox(sandboxArgs);
      await use(server);
      server.stop();
    },
    { scope: "worker" },
  ],
  baseURL: async ({ sandbox }, use) => use(sandbox.url),
  page: async ({ page, sandbox }, use, testInfo) => {
    await control(sandbox.url, "reset", {});
    await control(sandbox.url, "config", DEFAULT_CONFIG);
    const violations = [];
    const requests = [];
    page.on("request", (req) => {
      const entry = { method: req.method(), url: req.url(), body: req.postData() };
      requests.push(entry);
      violations.push(...checkRequest(entry.method, entry.url, entry.body, claimedVersion(sandbox.url)));
    });
    const errors = [];
    page.on("pageerror", (err) => errors.push(String(err)));
    page.on("console", (msg) => {
      if (msg.type() === "error" && /panicked|unreachable|RuntimeError/.test(msg.text())) errors.push(msg.text());
    });
    page.requests = requests;
    // A test that provokes an error on purpose names it; anything else still fails the test.
    const expected = [];
    page.expectError = (pattern) => expected.push(pattern);
    await use(page);
    expect(violations, "requests that Rocket.Chat's published schemas reject").toEqual([]);
    expect(errors.filter((e) => !expected.some((p) => p.test(e))), "uncaught errors or panics in the page").toEqual([]);
  },
  shot: async ({ page }, use, testInfo) => {
    let n = 0;
    const dir = join(root, "target/e2e/screenshots", basename(testInfo.file, ".spec.mjs"), testInfo.title.replace(/[^a-z0-9]+/gi, "-").toLowerCase());
    mkdirSync(dir, { recursive: true });
    await use(async (name) => {
      n += 1;
      const path = join(dir, `${String(n).padStart(2, "0")}-${name}.png`);
      await page.screenshot({ path, fullPage: true });
      await testInfo.attach(name, { path, contentType: "image/png" });
    });
  },
});

export { expect };

/** Signs in through the sign-in page (server address defaults to the page's origin). */
export async function signIn(page, { user, password } = DEMO) {
  await page.goto("/sign-in");
  await page.getByLabel("Username or e-mail").fill(user);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * Holds the app's first wasm file back until the returned function is called: what shows
 * meanwhile is index.html's plain-HTML sign-in form (the shell).
 */
export async function holdApp(page) {
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route(/\/hookpanel-[0-9a-f]{16}_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}
