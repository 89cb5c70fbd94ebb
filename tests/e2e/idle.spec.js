// Someone walks away mid-response: keep what they gave, reset for the next person.
import { test, expect, openKiosk, face, storedResponses } from "./kiosk.js";

test("idle reset saves a partial response as incomplete", async ({ page }) => {
  await openKiosk(page, { idleMs: 1_500 });
  await face(page, "Speed", 2).tap();
  await face(page, "Security", 5).tap();
  await page.getByRole("textbox", { name: "Anything to add?" }).fill("had to go");

  await expect(page.getByRole("radio", { checked: true })).toHaveCount(0, { timeout: 5_000 });
  await expect(page.getByRole("textbox", { name: "Anything to add?" })).toHaveValue("");
  await expect(page.getByRole("heading", { name: "Thank you!" })).toHaveCount(0);

  await page.reload();
  await expect(page.getByRole("radiogroup", { name: "Speed" })).toBeVisible();
  const stored = await storedResponses(page);
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({
    state: "p",
    complete: false,
    ratings: [0, 2, 0, 0, 5],
    comment: "had to go",
  });
});

test("an untouched screen stays as it is and stores nothing", async ({ page }) => {
  await openKiosk(page, { idleMs: 1_000 });
  await page.waitForTimeout(2_500);
  await expect(page.getByRole("radiogroup", { name: "Speed" })).toBeVisible();
  expect(await storedResponses(page)).toHaveLength(0);
});

test("touching the screen keeps a started response alive", async ({ page }) => {
  await openKiosk(page, { idleMs: 2_000 });
  await face(page, "Comfort", 4).tap();
  // Keep typing for longer than the idle timeout.
  const comment = page.getByRole("textbox", { name: "Anything to add?" });
  for (let i = 0; i < 6; i++) {
    await comment.press("a");
    await page.waitForTimeout(500);
  }
  await expect(face(page, "Comfort", 4)).toBeChecked();
  expect(await storedResponses(page)).toHaveLength(0);
});
