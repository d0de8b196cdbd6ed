// The script lab's isolation: a script tried in the editor reaches none of the app's storage,
// cookies, DOM, session token or network, and an endless loop is stopped within 3 s while the
// app keeps reacting. Scripts run in /lab/runner.html (an iframe with sandbox="allow-scripts")
// inside a Worker; see public/lab/runner.js.
import { test, expect, signIn } from "./support/fixtures.mjs";

const PROBE = `class Script {
  process_incoming_request({ request }) {
    const seen = {};
    const probe = (name, f) => {
      try {
        const v = f();
        seen[name] = v === undefined ? "undefined" : typeof v === "string" ? v : JSON.stringify(v) || typeof v;
      } catch (e) {
        seen[name] = e.name + ": " + e.message;
      }
    };
    probe("localStorage", () => JSON.stringify(Object.entries(localStorage)));
    probe("sessionStorage", () => JSON.stringify(Object.entries(sessionStorage)));
    probe("cookie", () => document.cookie);
    probe("parent", () => parent.sessionStorage.getItem("hookpanel.session"));
    probe("top", () => top.document.body.innerHTML);
    probe("window", () => window.name);
    probe("open", () => open("https://example.com/"));
    probe("xhr", () => new XMLHttpRequest());
    probe("indexedDB", () => indexedDB.databases());
    probe("importScripts", () => importScripts("/index.html"));
    probe("location", () => location.href);
    probe("realGlobal", () => Object.getOwnPropertyNames(Function("return this")()).join(","));
    probe("realFetch", () => typeof Function("return this")().fetch);
    probe("global", () => Object.keys(global).join(","));
    probe("request", () => request);
    return { content: { text: JSON.stringify(seen) } };
  }
}`;

const FETCH = `class Script {
  async process_incoming_request() {
    try {
      const res = await fetch("/api/v1/me");
      return { content: { text: "fetched " + res.status } };
    } catch (e) {
      return { content: { text: "no fetch: " + e.message } };
    }
  }
}`;

const LOOP = `class Script {
  process_incoming_request() {
    while (true) {}
  }
}`;

async function openLab(page, script) {
  await signIn(page);
  await expect(page).toHaveURL(/\/integrations$/);
  await page.goto("/integrations/new/incoming");
  await expect(page.getByRole("heading", { level: 1, name: "New incoming webhook" })).toBeVisible();
  await page.getByRole("switch", { name: "Script enabled" }).check();
  await page.getByLabel("Script", { exact: true }).fill(script);
  await page.locator("details.lab > summary").click();
}

async function run(page) {
  await page.locator(".lab").getByRole("button", { name: "Run" }).click();
  await expect(page.locator(".lab-step")).toHaveCount(1, { timeout: 10_000 });
  return page.locator(".lab-results").innerText();
}

/** The session token the app holds (it must never reach a script). */
async function sessionToken(page) {
  const stored = await page.evaluate(() => sessionStorage.getItem("hookpanel.session") || localStorage.getItem("hookpanel.session"));
  const token = JSON.parse(stored).auth_token;
  expect(token.length).toBeGreaterThan(10);
  return token;
}

test("a script sees none of the app: storage, cookies, DOM, parent, token, network", async ({ page, shot }) => {
  await openLab(page, PROBE);
  const token = await sessionToken(page);
  await page.evaluate(() => {
    document.cookie = "lab-probe=visible-cookie";
    localStorage.setItem("lab-probe", "visible-local");
  });
  const before = page.requests.length;
  const shown = await run(page);
  await shot("probe-result");

  const json = await page.locator(".lab-message-json").first().textContent();
  const seen = JSON.parse(JSON.parse(json).msg);
  for (const name of ["localStorage", "sessionStorage", "cookie", "parent", "top", "window", "open", "xhr", "indexedDB", "importScripts", "location"]) {
    expect(seen[name], name).toMatch(/^ReferenceError: \w+ is not defined$/);
  }
  expect(seen.realFetch).toBe("undefined");
  expect(seen.global).not.toMatch(/XMLHttpRequest|postMessage|localStorage|importScripts/);
  // The sample is all the script gets; no token, cookie or storage value anywhere.
  expect(seen.request).toContain("sample-token");
  for (const secret of [token, "visible-cookie", "visible-local", "hookpanel.session"]) {
    expect(shown).not.toContain(secret);
    expect(json).not.toContain(secret);
  }
  // The run made no request over the network (the runner page loads once; its workers
  // come from blob: URLs, which are local).
  const made = page.requests.slice(before).filter((r) => /^https?:/.test(r.url)).map((r) => new URL(r.url).pathname);
  expect(made.filter((p) => !p.startsWith("/lab/"))).toEqual([]);

  // The runner frame: scripts only, an opaque origin that cannot read this page.
  const frame = page.locator("iframe.lab-frame");
  await expect(frame).toHaveAttribute("sandbox", "allow-scripts");
  const runner = page.frames().find((f) => f.url().endsWith("/lab/runner.html"));
  expect(runner).toBeTruthy();
  expect(await runner.evaluate(() => self.origin)).toBe("null");
  expect(await runner.evaluate(() => {
    try {
      return parent.document.title;
    } catch (e) {
      return e.name;
    }
  })).toBe("SecurityError");
});

test("fetch from a script is answered by a stub, and nothing is sent", async ({ page, sandbox }) => {
  await openLab(page, FETCH);
  const before = page.requests.length;
  await run(page);
  const json = JSON.parse(await page.locator(".lab-message-json").first().textContent());
  expect(json.msg).toMatch(/^no fetch: The script lab sends no network requests: fetch\(\/api\/v1\/me\) was not sent/);
  await expect(page.locator(".lab-console")).toContainText("sends no network requests");
  const made = page.requests.slice(before).map((r) => new URL(r.url).pathname);
  expect(made).not.toContain("/api/v1/me");
});

test("an endless loop is stopped within 3 s and the app keeps reacting", async ({ page, shot }) => {
  await openLab(page, LOOP);
  // Timed in the page, from the click on Run to the message, so the harness's own steps and
  // its polling of the page (up to a second between looks) do not count.
  await page.evaluate(() => {
    const t = (window.__loop = { clicked: null, stopped: null });
    document.addEventListener("click", (e) => {
      if (t.clicked === null && e.target.closest?.(".lab button")) t.clicked = performance.now();
    }, true);
    new MutationObserver(() => {
      const text = document.querySelector(".lab-error")?.textContent ?? "";
      if (t.stopped === null && text.includes("Stopped after")) t.stopped = performance.now();
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.locator(".lab").getByRole("button", { name: "Run" }).click();
  // The app stays responsive while the worker spins.
  await page.getByLabel("Name").fill("Still typing");
  await expect(page.getByLabel("Name")).toHaveValue("Still typing");
  await expect(page.locator(".lab-error")).toContainText("Stopped after", { timeout: 10_000 });
  const { clicked, stopped } = await page.evaluate(() => window.__loop);
  expect(clicked, "the click on Run was seen").not.toBeNull();
  expect(stopped - clicked, "ms from Run to the stop").toBeLessThan(3_000);
  await expect(page.locator(".lab-results")).toContainText("error-running-script");
  await shot("loop-stopped");

  // A fixed script runs again at once in a fresh worker.
  await page.getByLabel("Script", { exact: true }).fill(`class Script {
  process_incoming_request({ request }) {
    return { content: { text: "back: " + request.content.text } };
  }
}`);
  await page.locator("#lab-template").selectOption({ label: "Plain text message" });
  await run(page);
  const json = JSON.parse(await page.locator(".lab-message-json").first().textContent());
  expect(json.msg).toMatch(/^back: Deploy of/);
});
