// Paging end to end over the sandbox's large seed (60 more integrations, 70 in all): pages of
// 25, 50 and 100 with the total, page and size in the address (reload, Back), a server name
// search that pages, and a page past the end. Screenshots under target/e2e/screenshots/list-paging/.
import { test, expect, signIn } from "./support/fixtures.mjs";

// A sandbox of its own for this file (a worker with these flags).
test.use({ sandboxArgs: ["--seed-large", "60"] });

const SEEDED = 10;

/** The names in the list's table, in order. */
function rowNames(page) {
  return page.locator("table.list-table tbody th.cell-name");
}

/** The search held in the page's address. */
function queryOf(page) {
  return new URL(page.url()).searchParams.get("q");
}

test("pages of 25, 50 and 100 with the total; page and size in the address", async ({ page, shot }) => {
  const total = SEEDED + 60;
  await signIn(page);
  await expect(page).toHaveURL(/\/integrations$/);
  const pager = page.getByRole("navigation", { name: "Pages" });
  await expect(rowNames(page)).toHaveCount(25);
  await expect(pager).toContainText(`Showing 1–25 of ${total}`);
  await expect(pager).toContainText("Page 1 of 3");
  // No page before the first: "Previous" is shown but is no link.
  await expect(pager.getByRole("link", { name: "Previous" })).toHaveCount(0);
  await expect(pager.getByText("Previous")).toHaveAttribute("aria-disabled", "true");
  await shot("page-1");
  const first = await rowNames(page).allTextContents();

  await pager.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/\?page=2$/);
  await expect(pager).toContainText(`Showing 26–50 of ${total}`);
  await expect(rowNames(page)).toHaveCount(25);
  const second = await rowNames(page).allTextContents();
  expect(second.filter((n) => first.includes(n))).toEqual([]);
  expect(page.requests.some((r) => r.url.includes("integrations.list") && new URL(r.url).searchParams.get("offset") === "25")).toBe(true);

  await pager.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/\?page=3$/);
  await expect(pager).toContainText(`Showing 51–${total} of ${total}`);
  await expect(rowNames(page)).toHaveCount(total - 50);
  await expect(pager.getByRole("link", { name: "Next" })).toHaveCount(0);
  await shot("page-3");

  // Reload keeps the page; Back goes to the page before.
  await page.reload();
  await expect(pager).toContainText(`Showing 51–${total} of ${total}`);
  await page.goBack();
  await expect(page).toHaveURL(/\?page=2$/);
  await expect(rowNames(page)).toHaveText(second);

  // Per page 100: one page holding everything, back to page 1.
  await page.getByLabel("Per page").selectOption("100");
  await expect(page).toHaveURL(/\?size=100$/);
  await expect(rowNames(page)).toHaveCount(total);
  await expect(pager).toContainText(`Showing 1–${total} of ${total}`);
  await expect(pager).toContainText("Page 1 of 1");

  // A name search on the server pages too: "Load test 00" matches 0001–0060 → 60 rows.
  await page.getByLabel("Per page").selectOption("50");
  await page.getByRole("searchbox", { name: "Search" }).fill("load test 00");
  await expect.poll(() => queryOf(page)).toBe("load test 00");
  expect(new URL(page.url()).searchParams.get("size")).toBe("50");
  await expect(pager).toContainText("Showing 1–50 of 60");
  await pager.getByRole("link", { name: "Next" }).click();
  await expect(pager).toContainText("Showing 51–60 of 60");
  await expect(rowNames(page)).toHaveCount(10);
  await shot("search-page-2");

  // A page past the end (an old bookmark) says so and links back.
  await page.goto("/integrations?page=9");
  await expect(page.getByText("This page is past the end of the list.")).toBeVisible();
  await page.getByRole("link", { name: "Go to the first page" }).click();
  await expect(pager).toContainText(`Showing 1–25 of ${total}`);
});
