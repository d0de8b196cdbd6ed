// Benchmark (not a test: it prints figures and fails only on errors): how long the
// integrations list takes to render and to filter per keystroke with 1,000 integrations
// (the sandbox's large seed), on a current server (8.8, searched by name on the server and
// narrowed here at once) and on an old one (6.3, everything loaded and searched here).
// The target is one frame (16 ms) per keystroke.
//
//   node tests/e2e/bench/list.bench.mjs        (after scripts/build)
//
// Figures are measured in the page with performance.now():
//  - "first rows": navigation start → the first row in the table (wasm start, sign-in check,
//    list request(s) and render);
//  - "render after answer": the last list answer's responseEnd → the first row;
//  - "keystroke": input event → all effects run (a macrotask later) and layout done, plus
//    any mutation before the next frame; "before forced layout": up to the macrotask (the
//    app's code and DOM calls, and any frame the browser drew meanwhile);
//  - "server answer" (8.8): the name search's responseEnd → the last table mutation.
// Written to target/bench/list.json.
import { chromium } from "@playwright/test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startSandbox, control } from "../support/sandbox.mjs";

const root = new URL("../../../", import.meta.url).pathname;
const SEED = 1000;
const LOADS = 5;
const ROUNDS = 3;
const TYPED = "test 04";
const BUDGET_MS = 16;
const KEY_GAP_MS = 120; // a brisk typist; below the list's 300 ms search pause
const SERVERS = ["8.8.1", "6.3.0"];
const SIZES = [25, 100];

const ROWS = "table.list-table tbody tr[data-id]";

// Installed before the app starts: records when the first row appears and every DOM change.
const PROBE = () => {
  window.__bench = { firstRow: null, lastMutation: 0 };
  new MutationObserver(() => {
    const now = performance.now();
    window.__bench.lastMutation = now;
    if (window.__bench.firstRow === null && document.querySelector("table.list-table tbody tr[data-id]")) {
      window.__bench.firstRow = now;
    }
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
};

/** Types `text` into the search box one character at a time (Backspace: "\b"), timing each. */
async function typeTimed(page, keys) {
  return page.evaluate(
    async ({ keys, gap, rowsSel }) => {
      const input = document.getElementById("list-search");
      if (!input) throw new Error("no search box");
      const macrotask = () =>
        new Promise((resolve) => {
          const c = new MessageChannel();
          c.port1.onmessage = () => resolve();
          c.port2.postMessage(0);
        });
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
      const out = [];
      for (const key of keys) {
        await macrotask();
        const t0 = performance.now();
        input.value = key === "\b" ? input.value.slice(0, -1) : key === "\u0000" ? "" : input.value + key;
        input.dispatchEvent(new InputEvent("input", { bubbles: true }));
        await macrotask(); // the app's effects run as microtasks before this
        const ran = performance.now();
        document.querySelector("main")?.getBoundingClientRect(); // style and layout
        const t1 = performance.now();
        const painted = await frame();
        // Anything the app changed after the macrotask but before that frame counts too.
        const late = window.__bench.lastMutation > t1 && window.__bench.lastMutation < painted ? window.__bench.lastMutation : t1;
        out.push({ key, ms: late - t0, script: ran - t0, rows: document.querySelectorAll(rowsSel).length });
        await new Promise((r) => setTimeout(r, gap));
      }
      return out;
    },
    { keys, gap: KEY_GAP_MS, rowsSel: ROWS },
  );
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const median = s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
  return { n: s.length, median: round(median), worst: round(s[s.length - 1] ?? NaN) };
}

const round = (x) => Math.round(x * 10) / 10;

async function signIn(page) {
  await page.goto("/sign-in");
  await page.getByLabel("Username or e-mail").fill("admin");
  await page.getByLabel("Password", { exact: true }).fill("hookpanel-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/integrations$/);
  await page.locator(ROWS).first().waitFor();
}

/** Loads the list `LOADS` times; returns first-row and render-after-answer times. */
async function measureLoads(page, size) {
  const first = [];
  const render = [];
  for (let i = 0; i < LOADS; i++) {
    await page.goto(`/integrations?size=${size}`);
    await page.locator(ROWS).first().waitFor({ timeout: 30_000 });
    const rows = await page.locator(ROWS).count();
    if (rows !== size) throw new Error(`expected ${size} rows on the first page, saw ${rows}`);
    const m = await page.evaluate(() => {
      const answers = performance
        .getEntriesByType("resource")
        .filter((e) => e.name.includes("/api/v1/integrations.list") && e.responseEnd <= window.__bench.firstRow);
      const last = answers[answers.length - 1];
      return { firstRow: window.__bench.firstRow, answer: last ? last.responseEnd : null, requests: answers.length };
    });
    if (m.answer === null) throw new Error("no integrations.list answer before the first row");
    first.push(m.firstRow);
    render.push(m.firstRow - m.answer);
  }
  return { first, render };
}

/** Types the search `ROUNDS` times (then clears it); per-keystroke times, and on servers
 * that search by name the render time of the server's answer. */
async function measureTyping(page, version) {
  const keys = [];
  const answers = [];
  for (let round = 0; round < ROUNDS; round++) {
    const typed = await typeTimed(page, [...TYPED]);
    keys.push(...typed);
    if (version.startsWith("8.")) {
      // After the pause, the server's name search: its answer's render time.
      await page.waitForResponse((r) => r.url().includes("integrations.list") && new URL(r.url()).searchParams.get("name") === TYPED);
      await page.waitForTimeout(400);
      const ms = await page.evaluate((typed) => {
        const e = performance
          .getEntriesByType("resource")
          .filter((e) => e.name.includes("/api/v1/integrations.list") && new URL(e.name).searchParams.get("name") === typed)
          .pop();
        return e ? window.__bench.lastMutation - e.responseEnd : null;
      }, TYPED);
      if (ms === null) throw new Error("no timing for the name search");
      answers.push(ms);
    } else {
      await page.waitForTimeout(400);
    }
    // Whichever side searched, the matches are shown (0040–0049 and 0400–0499).
    const found = await page.locator(ROWS).count();
    if (found === 0) throw new Error(`typing “${TYPED}” found nothing`);
    // Clearing the box at once (select all + delete): the whole list comes back.
    const cleared = await typeTimed(page, ["\u0000"]);
    keys.push(...cleared);
    await page.waitForTimeout(600);
    await page.locator(ROWS).first().waitFor();
  }
  return { keys, answers };
}

async function main() {
  const sandbox = await startSandbox(["--seed-large", String(SEED)]);
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_BIN || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  const results = [];
  try {
    for (const version of SERVERS) {
      await control(sandbox.url, "config", { serverVersion: version, cors: "off", rateLimit: false });
      const context = await browser.newContext({ baseURL: sandbox.url, viewport: { width: 1280, height: 800 } });
      await context.addInitScript(PROBE);
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await signIn(page);
      for (const size of SIZES) {
        const loads = await measureLoads(page, size);
        const typing = await measureTyping(page, version);
        const rows = typing.keys.map((k) => k.rows);
        results.push({
          server: version,
          pageSize: size,
          firstRows: stats(loads.first),
          renderAfterAnswer: stats(loads.render),
          keystroke: stats(typing.keys.map((k) => k.ms)),
          keystrokeScript: stats(typing.keys.map((k) => k.script)),
          keystrokeOverBudget: typing.keys.filter((k) => k.ms > BUDGET_MS).length,
          serverAnswer: typing.answers.length ? stats(typing.answers) : null,
          rowsShownWhileTyping: { min: Math.min(...rows), max: Math.max(...rows) },
          samples: { firstRows: loads.first.map(round), keystrokes: typing.keys.map((k) => ({ ...k, ms: round(k.ms), script: round(k.script) })) },
        });
      }
      if (errors.length) throw new Error(`errors in the page:\n${errors.join("\n")}`);
      await context.close();
    }
  } finally {
    await browser.close();
    sandbox.stop();
  }

  const out = join(root, "target/bench");
  mkdirSync(out, { recursive: true });
  const report = { seed: SEED, typed: TYPED, budgetMs: BUDGET_MS, loads: LOADS, rounds: ROUNDS, at: new Date().toISOString(), results };
  writeFileSync(join(out, "list.json"), JSON.stringify(report, null, 2) + "\n");

  const line = (cells) => cells.map((c, i) => String(c).padEnd(i === 0 ? 34 : 16)).join("");
  console.log(`\nList benchmark: ${SEED} integrations, typing “${TYPED}” ${ROUNDS}×, then clearing (ms, median / worst)`);
  console.log(line(["phase", ...results.map((r) => `${r.server} ×${r.pageSize}`)]));
  const cell = (s) => (s ? `${s.median} / ${s.worst}` : "—");
  console.log(line(["first rows (from navigation)", ...results.map((r) => cell(r.firstRows))]));
  console.log(line(["render after list answer", ...results.map((r) => cell(r.renderAfterAnswer))]));
  console.log(line(["keystroke → settled", ...results.map((r) => cell(r.keystroke))]));
  console.log(line(["  of which before forced layout", ...results.map((r) => cell(r.keystrokeScript))]));
  console.log(line([`keystrokes over ${BUDGET_MS} ms`, ...results.map((r) => `${r.keystrokeOverBudget} of ${r.keystroke.n}`)]));
  console.log(line(["server name search → rendered", ...results.map((r) => cell(r.serverAnswer))]));
  console.log(`Written to target/bench/list.json\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
