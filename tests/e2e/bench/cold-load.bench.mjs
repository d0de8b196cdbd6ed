// Benchmark (not a test: it prints figures and fails only on errors): how long a cold load of
// the sign-in screen takes until its form accepts typing, for the app and, side by side in the
// same Chromium, for a plain HTML form with the same fields and the app's stylesheets. Both are
// served compressed by the sandbox, over Chromium's emulated link (CDP
// Network.emulateNetworkConditions: 10 Mbit/s, 40 ms) on a 4× slower CPU
// (Emulation.setCPUThrottlingRate 4), with the cache disabled. The goal: app ≤ 1.5× plain.
//
//   node tests/e2e/bench/cold-load.bench.mjs        (after scripts/build)
//
// "Accepts typing" is measured in the page: from navigation start until the "Username or
// e-mail" field exists, is visible and enabled, a frame has been drawn with it (stylesheets applied),
// and the main thread is free for the next task (a key event would be handled then). A key is
// then typed into it to check it really takes input. For the app that field is first
// index.html's plain-HTML stand-in (the "shell", which hands what was typed to the app's own
// form); the bench also prints when the app's own form took over. Written to
// target/bench/cold-load.json.
import { chromium } from "@playwright/test";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync, readFileSync, copyFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { SANDBOX_BINARY } from "../support/sandbox.mjs";

const root = new URL("../../../", import.meta.url).pathname;
const dist = join(root, "dist");
// With 5 loads each, the ratio of the same build moved by ±0.15 from run to run; with 9 the
// app's own medians held, but the plain form's still moved by ±80 ms on the shared machine,
// and the ratio with them. 15 steadies both for about 20 s more.
const ROUNDS = Number(process.env.COLD_LOAD_ROUNDS ?? 15);
const GOAL = 1.5;
const LINK = { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 };
const CPU_SLOWDOWN = 4;
const FIELD = "Username or e-mail";

// Installed before each page starts: records when the field accepts typing.
const PROBE = (label) => {
  const t = (window.__cold = { field: null, painted: null, ready: null, app: null });
  const find = () => [...document.querySelectorAll("label")].find((l) => l.textContent.trim() === label)?.control;
  const check = () => {
    // The app's own form (index.html's stand-in for it sits inside #shell).
    if (t.app === null && document.querySelector("body > main form")) t.app = performance.now();
    const el = t.field === null && find();
    // On screen: index.html's stand-in is in the DOM, hidden, before its script shows it.
    if (!el || el.disabled || el.readOnly || !el.checkVisibility()) return;
    t.field = performance.now();
    requestAnimationFrame(() => {
      t.painted = performance.now();
      const c = new MessageChannel();
      c.port1.onmessage = () => (t.ready = performance.now());
      c.port2.postMessage(0);
    });
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
};

/** A plain HTML sign-in form with the app's fields and stylesheets, beside their .br/.gz. */
function plainPage() {
  const dir = mkdtempSync(join(tmpdir(), "hookpanel-plain-"));
  const index = readFileSync(join(dist, "index.html"), "utf8");
  // The stylesheets the app's page fetches: not the screens' (linked `disabled`, fetched later).
  const sheets = [...index.matchAll(/<link rel="stylesheet" href="\/?([^"]+)"([^>]*)>/g)]
    .filter((m) => !/\bdisabled\b/.test(m[2]))
    .map((m) => m[1]);
  for (const sheet of sheets) {
    for (const suffix of ["", ".br", ".gz"]) {
      if (!existsSync(join(dist, sheet + suffix))) continue;
      mkdirSync(dirname(join(dir, sheet)), { recursive: true });
      copyFileSync(join(dist, sheet + suffix), join(dir, sheet + suffix));
    }
  }
  const links = sheets.map((s) => `<link rel="stylesheet" href="/${s}">`).join("\n");
  writeFileSync(
    join(dir, "index.html"),
    `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in — hookpanel</title>
${links}
</head><body><main><h1>Sign in</h1>
<form method="post" action="/sign-in">
<p><label for="server">Server address</label><input id="server" name="server" type="url" value="http://127.0.0.1"></p>
<p><label for="user">${FIELD}</label><input id="user" name="user" autocomplete="username"></p>
<p><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password"></p>
<p><input id="keep" type="checkbox"><label for="keep">Keep me signed in on this device</label></p>
<button type="submit">Sign in</button>
</form></main></body></html>
`,
  );
  return dir;
}

/** Starts a sandbox serving `distDir` on a free port; resolves { url, stop }. */
function startServer(distDir) {
  const state = mkdtempSync(join(tmpdir(), "hookpanel-bench-"));
  const child = spawn(SANDBOX_BINARY, ["--port", "0", "--dist", distDir, "--data", join(state, "state.json"), "--fresh"], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      log += chunk;
      const m = /listening on (http:\/\/[^\s]+)/.exec(log);
      if (m) resolve({ url: m[1].replace(/\/$/, ""), stop: () => child.kill("SIGTERM") });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`sandbox exited (${code}): ${log}`)));
  });
}

/** One cold load of `url` under the emulated link and CPU; returns its figures. */
async function coldLoad(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(PROBE, FIELD);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", LINK);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
  let bytes = 0;
  const encodings = new Set();
  cdp.on("Network.loadingFinished", (e) => (bytes += e.encodedDataLength));
  cdp.on("Network.responseReceived", (e) => {
    const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    if (/\.(wasm|js|css|html)$|\/sign-in$/.test(new URL(e.response.url).pathname)) encodings.add(h["content-encoding"] ?? "identity");
  });
  try {
    await page.goto(url, { waitUntil: "commit" });
    await page.waitForFunction((app) => window.__cold?.ready !== null && (!app || window.__cold.app !== null), url.endsWith("/sign-in"), { timeout: 60_000, polling: 50 });
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      const wasm = performance.getEntriesByType("resource").find((e) => e.name.endsWith(".wasm"));
      return { ...window.__cold, dcl: nav?.domContentLoadedEventEnd ?? null, wasmEnd: wasm ? wasm.responseEnd : null };
    });
    // It really takes input.
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
    await page.getByLabel(FIELD, { exact: true }).pressSequentially("ad");
    const value = await page.getByLabel(FIELD, { exact: true }).inputValue();
    if (!value.endsWith("ad")) throw new Error(`typing into the field gave “${value}”`);
    if (errors.length) throw new Error(`errors in the page:\n${errors.join("\n")}`);
    return { ...t, bytes, encodings: [...encodings] };
  } finally {
    await context.close();
  }
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, median: Math.round(median(s)), min: Math.round(s[0]), max: Math.round(s[s.length - 1]) };
}

async function main() {
  if (!existsSync(join(dist, "index.html"))) throw new Error("no dist/index.html: run scripts/build first");
  const plainDir = plainPage();
  const app = await startServer(dist);
  const plain = await startServer(plainDir);
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_BIN || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const samples = { app: [], plain: [] };
  try {
    const targets = { app: `${app.url}/sign-in`, plain: `${plain.url}/` };
    await coldLoad(browser, targets.app); // warm-up: first-start costs of the browser itself
    await coldLoad(browser, targets.plain);
    for (let i = 0; i < ROUNDS; i++) {
      for (const which of ["app", "plain"]) samples[which].push(await coldLoad(browser, targets[which]));
    }
  } finally {
    await browser.close();
    app.stop();
    plain.stop();
  }

  const summary = (list) => ({
    ready: stats(list.map((s) => s.ready)),
    fieldShown: stats(list.map((s) => s.field)),
    appForm: list[0].app === null ? null : stats(list.map((s) => s.app)),
    domContentLoaded: stats(list.map((s) => s.dcl)),
    wasmDownloaded: list[0].wasmEnd === null ? null : stats(list.map((s) => s.wasmEnd)),
    transferredKB: Math.round(list[0].bytes / 100) / 10,
    encodings: [...new Set(list.flatMap((s) => s.encodings))],
  });
  const result = { app: summary(samples.app), plain: summary(samples.plain) };
  result.ratio = Math.round((result.app.ready.median / result.plain.ready.median) * 100) / 100;
  // Each round loads the app and then the plain form: the ratio within a round is less moved
  // by the shared machine's load, which drifts from round to round. Printed beside the goal's.
  const paired = samples.app.map((a, i) => a.ready / samples.plain[i].ready);
  result.pairedRatio = Math.round(median(paired) * 100) / 100;
  const report = { link: LINK, cpuSlowdown: CPU_SLOWDOWN, rounds: ROUNDS, goalRatio: GOAL, at: new Date().toISOString(), ...result, samples };
  mkdirSync(join(root, "target/bench"), { recursive: true });
  writeFileSync(join(root, "target/bench/cold-load.json"), JSON.stringify(report, null, 2) + "\n");

  const cell = (s) => (s ? `${s.median} (${s.min}–${s.max})` : "—");
  const row = (cells) => cells.map((c, i) => String(c).padEnd(i === 0 ? 34 : 24)).join("");
  console.log(`\nCold load of the sign-in screen: 10 Mbit/s, 40 ms, CPU ${CPU_SLOWDOWN}× slower, no cache; ms from navigation, median (min–max) of ${ROUNDS}`);
  console.log(row(["", "app", "plain HTML form"]));
  console.log(row(["form accepts typing", cell(result.app.ready), cell(result.plain.ready)]));
  console.log(row(["  field on screen", cell(result.app.fieldShown), cell(result.plain.fieldShown)]));
  console.log(row(["  DOMContentLoaded", cell(result.app.domContentLoaded), cell(result.plain.domContentLoaded)]));
  console.log(row(["  the app's own form took over", cell(result.app.appForm), "—"]));
  console.log(row(["  wasm downloaded", cell(result.app.wasmDownloaded), "—"]));
  console.log(row(["transferred (KB, encoded)", result.app.transferredKB, result.plain.transferredKB]));
  console.log(row(["content encodings", result.app.encodings.join(", "), result.plain.encodings.join(", ")]));
  console.log(`app / plain: ${result.ratio}× (goal ≤ ${GOAL}×); median of the ${ROUNDS} rounds' own ratios: ${result.pairedRatio}×`);
  console.log(`Written to target/bench/cold-load.json\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
