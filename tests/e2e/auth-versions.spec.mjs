// The app against the server versions of spec §8: the sandbox claims 6.3, 7.10, 8.8 and 9.0
// (each with that version's login, two-factor and 401 bodies), and the contract check judges
// every request by the rest-typings release of that version (9.0: 8.8.1, the newest).
import { test, expect, signIn, DEMO } from "./support/fixtures.mjs";
import { control } from "./support/sandbox.mjs";
import { schemaVersion } from "./support/contract.mjs";
import { storedSession, totp, revoke, listSettled } from "./support/auth.mjs";

// What "About this server" must say for each version (features in the order of the panel).
const VERSIONS = [
  { claim: "6.3.0", schemas: "6.3.7", yes: ["Change an integration in place"], no: ["Filter the list", "Choose the script engine", "Skip transpiling", "Clear and replay", "Change the “Post as”", "Scripts run as written"] },
  { claim: "7.10.0", schemas: "7.10.0", yes: ["Change an integration in place", "Filter the list", "Choose the script engine", "Change the “Post as”"], no: ["Skip transpiling", "Clear and replay", "Scripts run as written"] },
  { claim: "8.8.1", schemas: "8.8.1", yes: ["Change an integration in place", "Filter the list", "Choose the script engine", "Skip transpiling", "Clear and replay", "Change the “Post as”"], no: ["Scripts run as written"] },
  { claim: "9.0.0", schemas: "8.8.1", yes: ["Change an integration in place", "Filter the list", "Choose the script engine", "Clear and replay", "Change the “Post as”", "Scripts run as written"], no: ["Skip transpiling"] },
];

for (const v of VERSIONS) {
  test(`server ${v.claim}: sign-in, two-factor, the About panel and an expired session`, async ({ page, sandbox, shot }) => {
    await control(sandbox.url, "config", { serverVersion: v.claim });
    expect(schemaVersion(v.claim), "requests are judged by this version's schemas").toBe(v.schemas);

    // Password sign-in, then what the panel says about this version.
    await signIn(page, DEMO);
    await expect(page).toHaveURL(/\/integrations$/);
    await listSettled(page);
    await page.getByRole("link", { name: "About this server" }).click();
    // The admin holds view-statistics, so /api/info gives the full version (x.y.0 reads x.y).
    const shown = v.claim.replace(/\.0$/, "");
    await expect(page.getByRole("row", { name: /^Version/ })).toHaveText(new RegExp(`^Version\\s*${shown.replaceAll(".", "\\.")}$`));
    const features = page.getByRole("table", { name: "What this version supports" });
    for (const [list, answer] of [[v.yes, "Yes"], [v.no, "No"]]) {
      for (const label of list) {
        await expect(features.getByRole("row").filter({ hasText: label }), `${label} on ${v.claim}`).toContainText(answer);
      }
    }
    await shot(`about-${v.claim}`);

    // An expired session: this version's 401 body still opens the dialog.
    await revoke(sandbox.url, (await storedSession(page)).value);
    await page.getByRole("link", { name: "Integrations" }).click();
    const dialog = page.getByRole("dialog", { name: "Your session has expired" });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel("Password", { exact: true }).fill(DEMO.password);
    await dialog.getByRole("button", { name: "Sign in" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("table", { name: "Webhook integrations" })).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();

    // Two-factor with this version's bodies: a wrong code, then the right one.
    await signIn(page, { user: "admin2fa", password: DEMO.password });
    const code = page.getByLabel("Code");
    await expect(code).toBeFocused();
    const right = await totp(sandbox.url, "admin2fa");
    await code.fill(right.replace(/^./, (d) => String((Number(d) + 5) % 10)));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByRole("alert")).toContainText("That code was not accepted");
    await code.fill(await totp(sandbox.url, "admin2fa"));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page).toHaveURL(/\/integrations$/);
    await expect(page.getByText("Signed in as")).toContainText("admin2fa");

    // A wrong password reads the same on every version.
    await page.getByRole("button", { name: "Sign out" }).click();
    await signIn(page, { user: "admin", password: "not-the-password" });
    await expect(page.getByRole("alert")).toContainText("Wrong username, e-mail or password");
  });
}

test("the contract check judges by the claimed version's schemas, and knows no version it was not given", async () => {
  const { checkRequest } = await import("./support/contract.mjs");
  const create = JSON.stringify({
    type: "webhook-incoming", name: "x", enabled: true, channel: "#general", username: "rocket.cat",
    scriptEnabled: false, scriptEngine: "isolated-vm",
  });
  const url = "http://sandbox/api/v1/integrations.create";
  // 6.3 schemas have no scriptEngine (spec §8); 8.8 accepts it.
  expect(checkRequest("POST", url, create, "6.3.0").join("\n")).toContain("must NOT have additional properties");
  expect(checkRequest("POST", url, create, "8.8.1")).toEqual([]);
  // clearHistory came with 8.7: calling it on 7.10 is a violation.
  const clear = JSON.stringify({ integrationId: "x" });
  expect(checkRequest("POST", "http://sandbox/api/v1/integrations.clearHistory", clear, "7.10.0").join("\n")).toContain("no such endpoint");
  expect(checkRequest("POST", "http://sandbox/api/v1/integrations.clearHistory", clear, "9.0.0")).toEqual([]);
  expect(() => checkRequest("GET", "http://sandbox/api/info", null, "5.4.0")).toThrow(/no rest-typings release chosen for server 5\.4\.0/);
});
