// The release build is split (scripts/split.mjs): the sign-in screen loads one wasm file, each
// screen behind it fetches its own on first use, and a file that does not arrive is a message,
// never a dead app.
import { test, expect, signIn, DEMO } from "./support/fixtures.mjs";

/** The wasm files the page fetches, in order, by their name before the content hash. */
function wasmFetches(page) {
  const names = [];
  page.on("requestfinished", (req) => {
    const m = /\/([^/]+?)(?:-[0-9a-f]{16})?(?:_bg)?\.wasm$/.exec(new URL(req.url()).pathname);
    if (m) names.push(m[1]);
  });
  return names;
}

/** The stylesheets the page fetches, in order, by their name before the content hash. */
function styleFetches(page) {
  const names = [];
  page.on("requestfinished", (req) => {
    const m = /\/([^/]+?)(?:-[0-9a-f]{16})?\.css$/.exec(new URL(req.url()).pathname);
    if (m) names.push(m[1]);
  });
  return names;
}

const screens = (names) => names.filter((n) => n.startsWith("split_")).map((n) => n.slice("split_".length));

test("sign-in loads only the first file; each screen fetches its own on first use", async ({ page }) => {
  const fetched = wasmFetches(page);
  const styles = styleFetches(page);
  await page.goto("/sign-in");
  await expect(page.getByLabel("Username or e-mail")).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(fetched.filter((n) => n.startsWith("hookpanel"))).toHaveLength(1);
  expect(screens(fetched), "no screen behind sign-in is fetched before the person types").toEqual([]);
  expect(styles, "the screens' stylesheet is not fetched for the sign-in screen").toEqual(["app"]);

  // The first keystroke fetches the list's code and the screens' styles while the person goes
  // on typing.
  await page.getByLabel("Username or e-mail").fill(DEMO.user);
  await expect.poll(() => screens(fetched)).toEqual(["hookpanel_list"]);
  await expect.poll(() => styles).toEqual(["app", "screens"]);
  await page.getByLabel("Password", { exact: true }).fill(DEMO.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const table = page.getByRole("table", { name: "Webhook integrations" });
  await expect(table).toBeVisible();
  expect(screens(fetched), "the preloaded list code is not fetched twice").toEqual(["hookpanel_list"]);
  // What the list shares with other screens is one file (scripts/shared-chunks.mjs), not one
  // per set of screens sharing it.
  expect(fetched.filter((n) => n.startsWith("chunk_")), "the list's shared code, in one file").toEqual(["chunk_list_shared"]);
  // Styled from its first frame: the screen waits for its stylesheet (table.css).
  expect(await table.evaluate((t) => getComputedStyle(t).borderCollapse)).toBe("collapse");

  await page.getByRole("link", { name: "About this server" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "About this server" })).toBeVisible();
  await page.goBack();
  await page.getByRole("link", { name: "New incoming", exact: true }).click();
  await expect(page).toHaveURL(/\/integrations\/new\/incoming$/);
  await expect(page.getByLabel("Name", { exact: true })).toBeVisible();
  await page.goBack();
  await page.getByRole("link", { name: "New outgoing", exact: true }).click();
  await expect(page).toHaveURL(/\/integrations\/new\/outgoing$/);
  await expect(page.getByLabel("Name", { exact: true })).toBeVisible();
  expect(screens(fetched), "one file per screen, each once; the editors share one").toEqual([
    "hookpanel_list",
    "hookpanel_about",
    "hookpanel_editor",
  ]);
  expect(styles, "the screens' stylesheet, once").toEqual(["app", "screens"]);
});

test("a deep link waits for the screens' stylesheet; when it does not arrive, the screen says so", async ({ page }) => {
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const screensCss = /\/screens-[0-9a-f]{16}\.css$/;
  await signIn(page);
  await expect(page.getByRole("table", { name: "Webhook integrations" })).toBeVisible();

  // A fresh page that opens on a screen behind sign-in, its stylesheet not arriving.
  await page.route(screensCss, (route) => route.abort("internetdisconnected"));
  await page.goto("/about");
  const failed = page.getByRole("alert").filter({ hasText: "This screen did not load" });
  await expect(failed).toBeVisible();
  expect(errors, "no panic, no uncaught error").toEqual([]);

  // The next screen opened tries again, and shows styled once the file arrives.
  await page.unroute(screensCss);
  await page.getByRole("link", { name: "Integrations", exact: true }).click();
  const table = page.getByRole("table", { name: "Webhook integrations" });
  await expect(table).toBeVisible();
  expect(await table.evaluate((t) => getComputedStyle(t).borderCollapse)).toBe("collapse");
  expect(errors).toEqual([]);
});

test("a screen whose code does not arrive says so and offers a reload; the app keeps working", async ({ page }) => {
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const about = /split_hookpanel_about-[0-9a-f]{16}\.wasm$/;
  await signIn(page);
  await expect(page.getByRole("table", { name: "Webhook integrations" })).toBeVisible();

  await page.route(about, (route) => route.abort("internetdisconnected"));
  await page.getByRole("link", { name: "About this server" }).click();
  const failed = page.getByRole("alert").filter({ hasText: "This screen did not load" });
  await expect(failed).toBeVisible();
  await expect(page).toHaveTitle(/Not loaded/);
  expect(errors, "no panic, no uncaught error").toEqual([]);

  // The rest of the app still works, and a later visit tries again.
  await page.getByRole("link", { name: "Integrations", exact: true }).click();
  await expect(page.getByRole("table", { name: "Webhook integrations" })).toBeVisible();
  await page.getByRole("link", { name: "About this server" }).click();
  await expect(failed).toBeVisible();

  // The button reloads the page (still offline: the message again), then, once the file
  // arrives, the screen shows.
  await Promise.all([page.waitForEvent("load"), page.getByRole("button", { name: "Reload the page" }).click()]);
  await expect(failed).toBeVisible();
  await page.unroute(about);
  await Promise.all([page.waitForEvent("load"), page.getByRole("button", { name: "Reload the page" }).click()]);
  await expect(page.getByRole("heading", { level: 1, name: "About this server" })).toBeVisible();
  expect(errors).toEqual([]);
});

test("export, import, enable and disable fetch their code when first used; when it does not arrive they say so, and the next try works", async ({ page }) => {
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const fetched = wasmFetches(page);
  const tools = /split_hookpanel_list_tools-[0-9a-f]{16}\.wasm$/;
  await signIn(page);
  await expect(page.getByRole("table", { name: "Webhook integrations" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(screens(fetched), "the list does not fetch the code of its tools").not.toContain("hookpanel_list_tools");

  // Offline for that file: the export and the import each say so; nothing is downloaded.
  await page.route(tools, (route) => route.abort("internetdisconnected"));
  let downloads = 0;
  page.on("download", () => downloads++);
  await page.getByRole("button", { name: "Export all…" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Download" }).click();
  const notLoaded = "The export and import code did not load";
  await expect(page.locator(".report")).toContainText(notLoaded);
  const file = { name: "one.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify({ format: "hookpanel-integrations", version: 1, integrations: [] })) };
  await page.locator("#import-file").setInputFiles(file);
  const panel = page.getByRole("region", { name: "Import from one.json" });
  await expect(panel.getByRole("alert")).toContainText(notLoaded);
  expect(downloads).toBe(0);
  // A row's switch says so too, and changes nothing.
  const github = page.locator("table.list-table tbody tr", { hasText: "GitHub pushes" });
  const updates = () => page.requests.filter((r) => r.url.endsWith("/api/v1/integrations.update")).length;
  await github.getByRole("button", { name: "Disable GitHub pushes" }).click();
  await expect(page.locator(".report")).toContainText("The code that enables and disables integrations did not load, so nothing was changed");
  await expect(github.getByRole("button", { name: "Disable GitHub pushes" })).toBeEnabled();
  expect(updates()).toBe(0);
  expect(errors, "no panic, no uncaught error").toEqual([]);

  // Back online: the same steps work without a reload.
  await page.unroute(tools);
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export all…" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Download" }).click();
  const download = await downloading;
  const exported = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(exported);
  await page.locator("#import-file").setInputFiles(exported);
  const again = page.getByRole("region", { name: /^Import from hookpanel-integrations-/ });
  await expect(again).toContainText(/integrations in the file: \d+ can be created/);
  await expect(again.getByRole("alert")).toBeHidden();
  await github.getByRole("button", { name: "Disable GitHub pushes" }).click();
  await expect(github.getByRole("button", { name: "Enable GitHub pushes" })).toBeVisible();
  expect(updates()).toBe(1);
  expect(screens(fetched).filter((n) => n === "hookpanel_list_tools")).toHaveLength(1);
  expect(errors).toEqual([]);
});
