// Writing responses straight into the kiosk's storage, for tests and
// benchmarks that need a long queue. No test-runner imports: the benchmark
// scripts use this too.

/** The hyphenated UUID of a stored record's base64url id. */
export function uuidOf(base64url) {
  const hex = Buffer.from(base64url, "base64url").toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Writes `count` pending responses into the kiosk's storage, in its schema
 * v1 layout (docs/storage.md), before the app starts on the next navigation:
 * a kiosk that collected them while it could not sync. Returns their ids.
 */
export async function queueResponses(page, count, identity = { store_id: "store-e2e", kiosk_id: "kiosk-e2e" }) {
  const ids = [];
  const chunks = [];
  const base = Date.now() - count * 1000;
  for (let i = 0; i < count; i += 64) {
    const lines = [JSON.stringify(identity)];
    for (let j = i; j < Math.min(count, i + 64); j++) {
      const bytes = crypto.getRandomValues(new Uint8Array(16));
      bytes[6] = (bytes[6] & 0x0f) | 0x40;
      bytes[8] = (bytes[8] & 0x3f) | 0x80;
      const id = Buffer.from(bytes).toString("base64url");
      ids.push(uuidOf(id));
      const ratings = [1, 2, 3, 4, 5].map((f) => String(((j + f) % 5) + 1)).join("");
      lines.push(`pc${ratings}${id}${(base + j * 1000).toString(36)}`);
    }
    chunks.push(lines.join("\n"));
  }
  await page.addInitScript((chunks) => {
    if (sessionStorage.getItem("queued")) return;
    sessionStorage.setItem("queued", "1");
    chunks.forEach((chunk, n) => localStorage.setItem(`fk1.c.${n}`, chunk));
  }, chunks);
  return ids;
}

/**
 * Stores a set-up kiosk's settings (storage key `fk1.kiosk`) before the app
 * starts, manager PIN hashed as the kiosk hashes it (PBKDF2-HMAC-SHA256,
 * 150,000 iterations), so a benchmark can skip the setup screen.
 */
export async function setUpKiosk(page, settings, pin = "2468") {
  const { pbkdf2Sync, randomBytes } = await import("node:crypto");
  const salt = randomBytes(16);
  const iterations = 150_000;
  const hash = pbkdf2Sync(pin, salt, iterations, 32, "sha256").toString("hex");
  const value = JSON.stringify({
    store_id: "store-e2e",
    kiosk_id: "kiosk-e2e",
    ...settings,
    manager_pin: { iterations, salt: salt.toString("hex"), hash },
  });
  await page.addInitScript((value) => {
    if (!localStorage.getItem("fk1.kiosk")) localStorage.setItem("fk1.kiosk", value);
  }, value);
}
