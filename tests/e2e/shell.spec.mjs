// The sign-in screen as plain HTML in index.html (the "shell"): it takes typing while the
// app's code is still on its way, and hands what was typed, the focus, the caret and a pending
// submit to the app's own form when that mounts. Each test holds the first wasm file back to
// look at the shell alone, then lets it through.
import { test, expect, DEMO, holdApp } from "./support/fixtures.mjs";
import { storedSession } from "./support/auth.mjs";

const shellCount = (page) => page.evaluate(() => document.querySelectorAll("#shell").length);

/** What a person meets on the sign-in screen: texts, and each visible control's attributes. */
function screenShape(page) {
  return page.evaluate(() => {
    const main = document.querySelector("main");
    const visible = (e) => !e.closest("[hidden]");
    const text = (e) => e.textContent.replace(/\s+/g, " ").trim();
    const attrs = ["id", "type", "autocomplete", "aria-required", "aria-describedby", "class"];
    return {
      title: text(document.querySelector(".brand")),
      skip: text(document.querySelector(".skip-link")),
      heading: text(main.querySelector("h1")),
      lead: text(main.querySelector("p.muted")),
      labels: [...main.querySelectorAll("form label")].filter(visible).map(text),
      hints: [...main.querySelectorAll("form .hint")].filter(visible).map((h) => [h.id, text(h)]),
      controls: [...main.querySelectorAll("form input, form button")]
        .filter(visible)
        .map((c) => [c.tagName, text(c), ...attrs.map((a) => c.getAttribute(a))]),
    };
  });
}

test("before its code arrives the sign-in form takes typing; the app carries it over, with focus and caret", async ({ page, shot }) => {
  const release = await holdApp(page);
  await page.goto("/sign-in", { waitUntil: "commit" });
  const user = page.getByLabel("Username or e-mail");
  await expect(user).toBeVisible();
  expect(await shellCount(page), "what shows is the shell").toBe(1);
  const shell = await screenShape(page);
  await shot("shell");

  await user.fill("adm");
  await page.getByLabel("Password", { exact: true }).fill(DEMO.password);
  await page.getByRole("checkbox", { name: "Keep me signed in on this device" }).check();
  await user.focus();
  await user.press("End");
  await user.press("ArrowLeft");
  expect(page.requests.filter((r) => r.url.includes("/api/")), "the shell sends nothing").toEqual([]);

  release();
  await expect.poll(() => shellCount(page), "the app took over").toBe(0);
  expect(await screenShape(page), "the shell reads like the app's form").toEqual(shell);
  await expect(user).toHaveValue("adm");
  await expect(user, "focus moved over").toBeFocused();
  await page.keyboard.type("i");
  await expect(user, "so did the caret").toHaveValue("adim");
  await user.fill(DEMO.user);
  await expect(page.getByLabel("Password", { exact: true })).toHaveValue(DEMO.password);
  await expect(page.getByRole("checkbox", { name: "Keep me signed in on this device" })).toBeChecked();

  await page.getByLabel("Password", { exact: true }).press("Enter");
  await expect(page).toHaveURL(/\/integrations$/);
  expect((await storedSession(page)).where, "“Keep me signed in” moved over too").toBe("local");
});

test("the app's code is requested only once the shell is on screen", async ({ page }) => {
  // Recorded in the page before its own scripts run: when the shell stops being hidden.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.getElementById("shell")?.hidden !== false) return;
      window.__shellShown = performance.now();
      observer.disconnect();
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["hidden"] });
  });
  await page.goto("/sign-in");
  await expect.poll(() => shellCount(page), "the app took over").toBe(0);
  const { shown, code } = await page.evaluate(() => ({
    shown: window.__shellShown,
    code: performance
      .getEntriesByType("resource")
      .map((e) => [new URL(e.name).pathname, e.startTime])
      .filter(([path]) => /^\/(hookpanel|wasm-split)-[0-9a-f]{16}(_bg\.wasm|\.js)$/.test(path)),
  }));
  expect(shown, "the shell was shown").toBeGreaterThan(0);
  const names = new Set(code.map(([path]) => path.replace(/-[0-9a-f]{16}/, "")));
  expect([...names].sort(), "the glue, the split loader and the first wasm file").toEqual(["/hookpanel.js", "/hookpanel_bg.wasm", "/wasm-split.js"]);
  for (const [path, start] of code) expect(start, `${path} requested after the shell is on screen`).toBeGreaterThan(shown);
});

test("a submit before the code arrives waits for it, sends nothing itself, and signs in then", async ({ page }) => {
  const release = await holdApp(page);
  await page.goto("/sign-in", { waitUntil: "commit" });
  await page.getByLabel("Username or e-mail").fill(DEMO.user);
  await page.getByLabel("Password", { exact: true }).fill(DEMO.password);
  await page.getByLabel("Password", { exact: true }).press("Enter");
  await expect(page.getByRole("button", { name: "Signing in…" })).toBeVisible();
  expect(page.url(), "no native submit: nothing typed goes into the address").toMatch(/\/sign-in$/);
  expect(page.requests.filter((r) => r.url.includes("/api/"))).toEqual([]);

  release();
  await expect(page).toHaveURL(/\/integrations$/);
  const logins = page.requests.filter((r) => r.method === "POST" && r.url.endsWith("/api/v1/login"));
  expect(logins, "one sign-in, by the app").toHaveLength(1);
  expect(JSON.parse(logins[0].body)).toMatchObject({ username: DEMO.user, password: DEMO.password });
  expect((await storedSession(page)).where).toBe("session");
  expect(page.requests.filter((r) => r.url.includes(DEMO.password)), "the password never goes into an address").toEqual([]);
});

test("when the app's code does not arrive or does not start, the shell says so, keeps what was typed, and a reload tries again", async ({ page }) => {
  // A failed fetch of the wasm or of the glue's import rejects trunk's loader: an uncaught
  // error, which is the point here.
  page.expectError(/^TypeError: Failed to fetch$/);
  page.expectError(/^TypeError: Failed to fetch dynamically imported module: \S+\/hookpanel-[0-9a-f]{16}\.js$/);
  for (const [what, file] of [["the wasm", /\/hookpanel-[0-9a-f]{16}_bg\.wasm$/], ["its JS glue", /\/hookpanel-[0-9a-f]{16}\.js$/]]) {
    let release;
    const held = new Promise((resolve) => (release = resolve));
    await page.route(file, async (route) => {
      await held;
      await route.abort("internetdisconnected");
    });
    await page.goto("/sign-in", { waitUntil: "commit" });
    const problem = page.getByRole("alert");
    await expect(problem, what).toBeHidden();
    await page.getByLabel("Username or e-mail").fill(DEMO.user);
    await page.getByLabel("Password", { exact: true }).fill(DEMO.password);
    await page.getByLabel("Password", { exact: true }).press("Enter");
    await expect(page.getByRole("button", { name: "Signing in…" })).toBeVisible();

    release();
    await expect(problem, what).toContainText("hookpanel did not load, so it cannot sign in");
    await expect(problem, "a submit made before is told, not left waiting").toBeFocused();
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
    await expect(page.getByLabel("Username or e-mail"), "nothing typed is lost").toHaveValue(DEMO.user);
    // Submitting again points at the problem instead of waiting again.
    await page.getByLabel("Password", { exact: true }).press("Enter");
    await expect(problem).toBeFocused();
    await expect(page.getByRole("button", { name: "Signing in…" })).toHaveCount(0);
    expect(page.requests.filter((r) => r.url.includes("/api/")), "nothing was sent").toEqual([]);

    // Back online, the link reloads into the app's own form.
    await page.unrouteAll();
    await Promise.all([page.waitForEvent("load"), problem.getByRole("link", { name: "Reload the page" }).click()]);
    await expect(page.locator("body > main form")).toBeVisible();
    expect(await shellCount(page)).toBe(0);
  }
});

test("errors, the token step and other addresses: the shell only stands in for the sign-in form", async ({ page }) => {
  // Submitted empty before the code arrives: the app's own check answers once it is in.
  let release = await holdApp(page);
  await page.goto("/", { waitUntil: "commit" });
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  expect(await shellCount(page), "/ without a session: the shell").toBe(1);
  await page.getByRole("button", { name: "Sign in" }).click();
  release();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole("alert")).toContainText("Enter your username or e-mail");
  expect(page.requests.filter((r) => r.url.includes("/api/v1/login"))).toEqual([]);

  // “Use a personal access token instead” pressed early: the app opens that step.
  await page.unrouteAll();
  release = await holdApp(page);
  await page.goto("/sign-in", { waitUntil: "commit" });
  await page.getByRole("button", { name: "Use a personal access token instead" }).click();
  release();
  await expect(page.getByLabel("User id")).toBeVisible();
  await expect(page.getByLabel("Username or e-mail")).toBeHidden();

  // Signed in, a deep link or / never shows a sign-in form, not even for a frame.
  await page.unrouteAll();
  await page.getByRole("button", { name: "Use a password instead" }).click();
  await page.getByLabel("Username or e-mail").fill(DEMO.user);
  await page.getByLabel("Password", { exact: true }).fill(DEMO.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/integrations$/);
  for (const path of ["/integrations", "/"]) {
    release = await holdApp(page);
    await page.goto(path, { waitUntil: "commit" });
    await expect.poll(() => page.evaluate(() => document.readyState)).not.toBe("loading");
    expect(await shellCount(page), `${path} signed in: no shell`).toBe(0);
    await expect(page.getByRole("heading", { name: "Sign in" })).toHaveCount(0);
    release();
    await expect(page.getByRole("table", { name: "Webhook integrations" })).toBeVisible();
    await page.unrouteAll();
  }
});

/** A screenshot once every image is drawn: the header's logo is a file of its own. */
async function screenshotDrawn(page) {
  await page.evaluate(() => Promise.all([...document.images].map((image) => image.decode())));
  return page.screenshot();
}

/**
 * How many pixels of two screenshots differ by more than antialiasing does (a channel by more
 * than 8 of 255), counted in a blank page of the browser (-1 when their sizes differ).
 */
async function differentPixels(context, a, b) {
  const blank = await context.newPage();
  try {
    return await blank.evaluate(async ([a, b]) => {
      const pixels = async (bytes) => {
        const image = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: "image/png" }));
        const canvas = new OffscreenCanvas(image.width, image.height);
        const g = canvas.getContext("2d");
        g.drawImage(image, 0, 0);
        return g.getImageData(0, 0, image.width, image.height).data;
      };
      const [x, y] = [await pixels(a), await pixels(b)];
      if (x.length !== y.length) return -1;
      let count = 0;
      for (let i = 0; i < x.length; i += 4) {
        if ([0, 1, 2].some((c) => Math.abs(x[i + c] - y[i + c]) > 8)) count += 1;
      }
      return count;
    }, [[...a], [...b]]);
  } finally {
    await blank.close();
  }
}

test("the shell and the app's form look the same, light and dark, at 1280 and 360 px", async ({ page }, testInfo) => {
  for (const colorScheme of ["light", "dark"]) {
    for (const width of [1280, 360]) {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height: 800 });
      await page.unrouteAll();
      const release = await holdApp(page);
      await page.goto("/sign-in", { waitUntil: "commit" });
      await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
      const shell = await screenshotDrawn(page);
      release();
      await expect.poll(() => shellCount(page)).toBe(0);
      const app = await screenshotDrawn(page);
      const look = `${colorScheme}-${width}`;
      const differ = await differentPixels(page.context(), shell, app);
      if (differ !== 0) {
        await testInfo.attach(`shell-${look}`, { body: shell, contentType: "image/png" });
        await testInfo.attach(`app-${look}`, { body: app, contentType: "image/png" });
      }
      expect(differ, `${look}: pixels that change when the app takes over`).toBe(0);
    }
  }
});
