// The accessibility gate: axe-core run in the page, in every look (light and dark, 1280 and
// 360 px wide), and a readable list of what it found.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { expect } from "@playwright/test";

const require = createRequire(import.meta.url);
// Evaluated as source rather than added as an inline <script>, which a strict
// Content-Security-Policy blocks. axe still compiles its message templates with
// `new Function`, so specs that use it need `bypassCSP: true` (see a11y.spec.mjs).
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** The four looks every screen is checked in. */
export const LOOKS = [
  { scheme: "light", width: 1280 },
  { scheme: "dark", width: 1280 },
  { scheme: "light", width: 360 },
  { scheme: "dark", width: 360 },
];

/** Every rule axe enables by default (WCAG 2.0, 2.1, 2.2 A/AA and best practices). */
const RUN_OPTIONS = { resultTypes: ["violations", "incomplete"] };
// A11Y_REVIEW=1 also prints what axe could not decide (for example contrast over an image):
// worth a look by a person, never a failure.
const REVIEW = !!process.env.A11Y_REVIEW;

/** Loads axe into the page unless a previous check on the same document already did. */
async function injectAxe(page) {
  if (await page.evaluate(() => typeof window.axe === "object")) return;
  await page.evaluate(AXE_SOURCE);
  expect(await page.evaluate(() => typeof window.axe?.run), "axe-core loaded into the page").toBe("function");
}

/** The violations of one axe run, one readable line per rule and one per element. */
export function describeViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.map((n) => {
      const summary = (n.failureSummary ?? "").replace(/\s*\n\s*/g, " ").trim();
      return `    at ${n.target.join(" ")}: ${summary}\n      ${n.html.slice(0, 160)}`;
    });
    return `${v.id} (${v.impact}, ${v.nodes.length}×): ${v.help} [${v.tags.filter((t) => t.startsWith("wcag")).join(", ")}]\n${nodes.join("\n")}`;
  });
}

/** Runs axe once, in the look the page is in now; the readable violations. */
export async function axeViolations(page) {
  await injectAxe(page);
  let results = await settledRun(page, 0);
  // On a loaded machine Chromium has been seen to restyle part of the page a frame late after a
  // colour-scheme switch (light text on the dark background). A real violation is still there
  // half a second later; a half-applied scheme is not.
  if (results.violations.length) results = await settledRun(page, 500);
  if (REVIEW && results.incomplete.length) console.log(`needs review:\n${describeViolations(results.incomplete).join("\n")}`);
  return describeViolations(results.violations);
}

/** One axe run after `waitMs` and two frames, so the new viewport or scheme is laid out and painted. */
async function settledRun(page, waitMs) {
  if (waitMs) await page.waitForTimeout(waitMs);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate((options) => window.axe.run(document, options), RUN_OPTIONS);
}

/**
 * Checks the page as it is now in every look, softly: a screen with violations fails the test
 * at its end, and the screens after it are still checked. The viewport and colour scheme are
 * put back afterwards.
 */
export async function expectAccessible(page, screen, looks = LOOKS) {
  const size = page.viewportSize();
  for (const { scheme, width } of looks) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: "reduce" });
    await page.setViewportSize({ width, height: size?.height ?? 800 });
    const found = await axeViolations(page);
    expect.soft(found, `axe violations on “${screen}”, ${scheme}, ${width} px:\n${found.join("\n")}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: "light", reducedMotion: null });
  if (size) await page.setViewportSize(size);
}
