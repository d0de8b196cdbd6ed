// The app runs under its own strict Content-Security-Policy: the sandbox sends it as a header
// (as the README's nginx block does) and index.html carries it as a <meta>. Every screen —
// sign-in, the list, both editors new and stored, history, about — must cause no violation:
// none reported through `securitypolicyviolation`, none in the console.
import { test, expect, signIn } from "./support/fixtures.mjs";

const DEPLOY_BOT = "nMTjo6fLuRuYQcWMh"; // outgoing, with two history entries
const MONITORING = "dEa79GpBTnypLePi8"; // incoming, with an avatar image on another host

// Installed in every document before the app starts: forwards each violation to the test.
const LISTEN = () => {
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__cspViolation?.(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber}) ${e.sample}`);
  });
};

/** Starts recording violations on `page`; returns the list they land in. */
async function recordViolations(page) {
  const seen = [];
  await page.exposeFunction("__cspViolation", (text) => seen.push(text));
  await page.addInitScript(LISTEN);
  page.on("console", (msg) => {
    if (/Content[- ]Security[- ]Policy|Refused to (load|execute|apply|connect|frame|compile)/i.test(msg.text())) {
      seen.push(`console: ${msg.text()}`);
    }
  });
  return seen;
}

/** Opens `path` in full (a fresh document, so the policy applies from the start). */
async function open(page, path, heading) {
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  await page.waitForLoadState("networkidle");
}

test("every screen runs under the strict policy without a violation", async ({ page, shot }) => {
  const violations = await recordViolations(page);

  const response = await page.goto("/sign-in");
  const header = response.headers()["content-security-policy"];
  expect(header).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(header).toContain("style-src 'self'");
  expect(header).toContain("frame-ancestors 'none'");
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  expect(`${meta}; frame-ancestors 'none'`).toBe(header);
  // No inline script left for the policy to block: the loader is a file.
  expect(await page.locator("script:not([src])").count()).toBe(0);
  await expect(page.getByLabel("Username or e-mail")).toBeVisible();
  await shot("sign-in");

  await signIn(page);
  await expect(page.getByRole("table", { name: "Webhook integrations" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  await shot("list");

  await open(page, "/integrations/new/incoming", "New incoming webhook");
  // A refused save shows the error summary and field errors.
  await page.getByLabel("Post to").fill("dev");
  await page.getByRole("button", { name: "Create webhook" }).click();
  await expect(page.locator("#error-summary")).toBeVisible();
  await shot("new-incoming-with-errors");

  await open(page, "/integrations/new/outgoing", "New outgoing webhook");
  await shot("new-outgoing");

  await page.goto(`/integrations/incoming/${MONITORING}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Monitoring alerts");
  await page.waitForLoadState("networkidle");
  await shot("stored-incoming");

  await page.goto(`/integrations/outgoing/${DEPLOY_BOT}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Deploy bot");
  await page.waitForLoadState("networkidle");
  await shot("stored-outgoing");

  await open(page, `/integrations/outgoing/${DEPLOY_BOT}/history`, "Call history");
  const calls = page.getByRole("list", { name: "Calls, newest first" }).locator(":scope > li");
  await calls.first().locator("summary").click();
  await expect(calls.first().locator("dl")).toBeVisible();
  await shot("history");

  await page.getByRole("link", { name: "About this server" }).click();
  await expect(page).toHaveURL(/\/about$/);
  await page.waitForLoadState("networkidle");
  await shot("about");

  expect(violations, "Content-Security-Policy violations").toEqual([]);

  // The listener works: an inline style attribute, which the policy forbids, is reported.
  await page.evaluate(() => document.body.setAttribute("style", "outline: 1px solid red"));
  await expect.poll(() => violations.length).toBeGreaterThan(0);
  expect(violations.join("\n")).toContain("style-src");
});
