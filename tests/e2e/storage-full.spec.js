// When nothing can make room, staff see it; the kiosk does not pretend.
import { test, expect, openKiosk, face, storedResponses } from "./kiosk.js";

test("a full store shows the out-of-service screen and keeps earlier responses", async ({ page }) => {
  await openKiosk(page, { cooldownMs: 500 });
  await face(page, "Hygiene", 4).tap();
  await page.getByRole("button", { name: "Send" }).tap();
  await expect(page.getByRole("radiogroup", { name: "Hygiene" })).toBeVisible();
  expect(await storedResponses(page)).toHaveLength(1);

  // Something else on this origin fills the quota.
  await page.evaluate(() => {
    const block = "x".repeat(256 * 1024);
    let i = 0;
    try {
      for (;;) localStorage.setItem(`other-app-${i++}`, block);
    } catch {}
    let small = "x".repeat(1024);
    for (;;) {
      try {
        localStorage.setItem(`other-app-${i++}`, small);
      } catch {
        if (small.length <= 1) break;
        small = small.slice(0, small.length / 2);
      }
    }
  });

  await face(page, "Hygiene", 2).tap();
  await page.getByRole("button", { name: "Send" }).tap();
  await expect(page.getByRole("heading", { name: "Storage full: please call the manager" })).toBeVisible();
  // Read out by screen readers, whatever has focus.
  await expect(page.getByRole("status")).toHaveText("Storage full: please call the manager");
  await expect(page.getByRole("heading", { name: "Thank you!" })).toHaveCount(0);
  const stored = await storedResponses(page);
  expect(stored.map((r) => r.ratings)).toEqual([[0, 0, 0, 4, 0]]);
});
