// Helpers of the sign-in and session specs: the stored session, the sandbox's two-factor
// codes, revoking a token behind the app's back, and screenshots in every look.
import { expect } from "@playwright/test";

/** The session the app stored: { where: "session"|"local"|null, value } (value parsed). */
export async function storedSession(page) {
  return page.evaluate(() => {
    for (const [where, area] of [["session", sessionStorage], ["local", localStorage]]) {
      const text = area.getItem("hookpanel.session");
      if (text) return { where, value: JSON.parse(text) };
    }
    return { where: null, value: null };
  });
}

/** The current TOTP code of a sandbox user. */
export async function totp(base, user) {
  const res = await fetch(`${base}/sandbox/totp/${user}`);
  return (await res.json()).code;
}

/** Codes the sandbox "e-mailed" to a user, oldest first. */
export async function mailedCodes(base, user) {
  const { lines } = await (await fetch(`${base}/sandbox/log`)).json();
  const re = new RegExp(`\\[email\\] two-factor code for ${user} <[^>]*>: (\\d+)`);
  return lines.map((l) => re.exec(l)?.[1]).filter(Boolean);
}

/**
 * Waits until the list has read all it reads on its own (the table, then each outgoing row's
 * health): a token revoked before then would be met by one of those reads instead of the
 * read the test means.
 */
export async function listSettled(page) {
  await expect(page.getByRole("table", { name: "Webhook integrations" })).toBeVisible();
  await expect(page.locator(".cell-health").filter({ hasText: "Checking…" })).toHaveCount(0);
}

/** Ends a login token on the server, as an expiry or a sign-out elsewhere would. */
export async function revoke(base, { user_id, auth_token }) {
  const res = await fetch(`${base}/api/v1/logout`, {
    method: "POST",
    headers: { "X-User-Id": user_id, "X-Auth-Token": auth_token },
  });
  if (!res.ok) throw new Error(`logout: HTTP ${res.status}`);
}

/** Whether a token still works on the server. */
export async function tokenWorks(base, { user_id, auth_token }) {
  const res = await fetch(`${base}/api/v1/me`, { headers: { "X-User-Id": user_id, "X-Auth-Token": auth_token } });
  return res.ok;
}

/**
 * Screenshots the page as it is in four looks: 1280 and 360 px wide, light and dark. The
 * viewport and colour scheme are put back afterwards.
 */
export async function shotAllLooks(page, shot, name) {
  const size = page.viewportSize();
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 800 });
      await shot(`${name}-${width}-${scheme}`);
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize(size);
}
