// When nothing can make room, staff see it; the kiosk does not pretend.
import { test, expect, openKiosk, face, fillStorage, storedResponses } from "./kiosk.js";

test("a full store shows the out-of-service screen and keeps earlier responses", async ({ page }) => {
  await openKiosk(page, { cooldownMs: 500 });
  await face(page, "Hygiene", 4).tap();
  await page.getByRole("button", { name: "Send" }).tap();
  await expect(page.getByRole("radiogroup", { name: "Hygiene" })).toBeVisible();
  expect(await storedResponses(page)).toHaveLength(1);

  // Something else on this origin fills the quota.
  await fillStorage(page);

  await face(page, "Hygiene", 2).tap();
  await page.getByRole("button", { name: "Send" }).tap();
  await expect(page.getByRole("heading", { name: "Storage full: please call the manager" })).toBeVisible();
  // Read out by screen readers, whatever has focus.
  await expect(page.getByRole("status")).toHaveText("Storage full: please call the manager");
  await expect(page.getByRole("heading", { name: "Thank you!" })).toHaveCount(0);
  const stored = await storedResponses(page);
  expect(stored.map((r) => r.ratings)).toEqual([[0, 0, 0, 4, 0]]);
});
