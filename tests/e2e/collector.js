// The real collector for end-to-end tests: the `feedback-collector` binary
// on 127.0.0.1 with its own SQLite file, serving the built kiosk from dist/.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BIN = process.env.COLLECTOR_BIN ?? "target/debug/feedback-collector";

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort() {
  const server = createTcpServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const STORE = "store-e2e";
export const KIOSK = "kiosk-e2e";

/** A running (or stopped) collector with a kiosk token for KIOSK in STORE. */
export class Collector {
  /** `db`: a PostgreSQL URL; by default a SQLite file in a temporary folder. */
  constructor({ db } = {}) {
    this.dir = mkdtempSync(join(tmpdir(), "fk-e2e-"));
    this.db = db ?? join(this.dir, "collector.sqlite");
    this.port = 0;
    this.proc = null;
    this.log = "";
    this.token = this.command("token", "create", "--kiosk", KIOSK, "--store", STORE).trim();
  }

  /** Runs `feedback-collector --db <db> <args>` as an operator would; returns stdout. */
  command(...args) {
    return this.commandWithInput("", ...args);
  }

  /** Like `command`, with `input` piped to its standard input (a password). */
  commandWithInput(input, ...args) {
    const run = spawnSync(BIN, ["--db", this.db, ...args], { encoding: "utf8", input });
    if (run.status !== 0) throw new Error(`feedback-collector ${args.join(" ")} failed: ${run.stderr}`);
    return run.stdout;
  }

  /** Starts and waits until it answers; the first start picks a free port, later ones reuse it. */
  static async start({ db, args = [] } = {}) {
    const collector = new Collector({ db });
    await collector.start({ args });
    return collector;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts on its port; `db` starts it on another database file (an operator's mistake), `args` adds flags. */
  async start({ db = this.db, args = [] } = {}) {
    const proc = spawn(
      BIN,
      ["--db", db, "serve", "--listen", `127.0.0.1:${this.port}`, "--kiosk-dir", "dist", ...args],
      { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, RUST_LOG: "info" } },
    );
    this.proc = proc;
    const exited = new Promise((resolve) => proc.once("exit", resolve));
    this.exited = exited;
    const address = await new Promise((resolve, reject) => {
      let seen = "";
      proc.stderr.on("data", (data) => {
        seen += data;
        this.log += data;
        const match = /collector listening address=127\.0\.0\.1:(\d+)/.exec(seen);
        if (match) resolve(Number(match[1]));
      });
      exited.then((code) => reject(new Error(`collector exited (${code}) before listening:\n${seen}`)));
    });
    this.port = address;
  }

  /** Stops it as an operator would (SIGTERM: requests in flight finish). */
  async stop() {
    if (!this.proc) return;
    this.proc.kill("SIGTERM");
    await this.exited;
    this.proc = null;
  }

  /** Kills it with no chance to finish anything (SIGKILL). */
  async kill() {
    if (!this.proc) return;
    this.proc.kill("SIGKILL");
    await this.exited;
    this.proc = null;
  }

  /** The response ids in the SQLite file, read straight from it. */
  ids() {
    const query = spawnSync(
      "python3",
      [
        "-c",
        "import json, sqlite3, sys\n" +
          "db = sqlite3.connect(sys.argv[1])\n" +
          "print(json.dumps([r[0] for r in db.execute('SELECT id FROM responses')]))",
        this.db,
      ],
      { encoding: "utf8" },
    );
    if (query.status !== 0) throw new Error(`reading ${this.db} failed: ${query.stderr}`);
    return JSON.parse(query.stdout);
  }

  async dispose() {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A proxy in front of a collector that can misbehave on `POST /v1/responses`:
 * `hold(n)` holds each reply this long after the collector has committed;
 * `rewrite(body => body)` changes a request's JSON before the collector sees it.
 * Everything else passes through untouched. `replies` records what the
 * collector answered.
 */
export class Proxy {
  constructor(target) {
    this.target = target;
    this.delayMs = 0;
    this.delayCount = 0;
    this.rewriter = null;
    this.failures = [];
    this.maxItems = Infinity;
    this.replies = [];
    this.server = createServer((req, res) => this.handle(req, res));
  }

  static async start(target) {
    const proxy = new Proxy(target);
    await new Promise((resolve) => proxy.server.listen(0, "127.0.0.1", resolve));
    proxy.port = proxy.server.address().port;
    return proxy;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Holds the next `count` replies to posted batches for `ms` each. */
  hold(count, ms) {
    this.delayCount = count;
    this.delayMs = ms;
  }

  rewrite(fn) {
    this.rewriter = fn;
  }

  /** Answers the next posted batches with these statuses, without passing them on. */
  fail(...statuses) {
    this.failures.push(...statuses);
  }

  /** Answers 413 to any batch of more than `n` responses, as a stricter collector would. */
  limit(n) {
    this.maxItems = n;
  }

  async handle(req, res) {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    let body = Buffer.concat(chunks);
    const posting = req.method === "POST" && req.url.startsWith("/v1/responses");
    if (posting) {
      const batch = JSON.parse(body.toString("utf8"));
      const status = this.failures.shift() ?? (batch.responses.length > this.maxItems ? 413 : null);
      if (status) {
        this.replies.push({ status, items: batch.responses.length });
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "test", message: `answered ${status} by the test proxy` } }));
        return;
      }
      if (this.rewriter) body = Buffer.from(JSON.stringify(this.rewriter(batch)));
    }
    const headers = { ...req.headers, "content-length": String(body.length) };
    const upstream = request(
      { host: "127.0.0.1", port: this.target.port, method: req.method, path: req.url, headers },
      async (answer) => {
        const parts = [];
        for await (const part of answer) parts.push(part);
        const reply = Buffer.concat(parts);
        if (posting) {
          this.replies.push({ status: answer.statusCode, body: reply.toString("utf8") });
          if (this.delayCount > 0) {
            this.delayCount -= 1;
            await new Promise((resolve) => setTimeout(resolve, this.delayMs));
          }
        }
        if (res.destroyed) return; // The kiosk gave up waiting.
        res.writeHead(answer.statusCode, answer.headers);
        res.end(reply);
      },
    );
    upstream.on("error", () => res.destroy());
    res.on("close", () => {});
    upstream.end(body);
  }

  async close() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
