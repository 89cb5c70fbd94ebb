// A throwaway PostgreSQL cluster for end-to-end tests, as the Rust tests
// start one (crates/collector/tests/common/postgres.rs): Debian's server
// binaries, initdb in a temporary folder (run as the postgres user when the
// tests run as root), listening on a free 127.0.0.1 port; a fresh database
// per collector; stopped and removed by `stop()`.
import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./collector.js";

function binDir() {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const versions = existsSync("/usr/lib/postgresql")
    ? readdirSync("/usr/lib/postgresql").map(Number).filter((v) => !Number.isNaN(v)).sort((a, b) => a - b)
    : [];
  const newest = versions.pop();
  if (!newest) throw new Error("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin): run make setup");
  return `/usr/lib/postgresql/${newest}/bin`;
}

export class Postgres {
  static async start() {
    const pg = new Postgres();
    await pg.init();
    return pg;
  }

  async init() {
    this.bin = binDir();
    this.root = mkdtempSync(join(tmpdir(), "fk-e2e-pg-"));
    this.asPostgres = process.getuid?.() === 0;
    if (this.asPostgres) {
      const pw = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
      const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
      chownSync(this.root, Number(pw.stdout), Number(gid.stdout));
    }
    this.data = join(this.root, "data");
    this.run("initdb", ["-D", this.data, "-A", "trust", "-U", "postgres", "-N", "-E", "UTF8", "--locale=C"]);
    this.port = await freePort();
    const options = `-k ${this.root} -p ${this.port} -c listen_addresses=127.0.0.1 -c fsync=off`;
    this.run("pg_ctl", ["-D", this.data, "-w", "-o", options, "-l", join(this.root, "log"), "start"]);
    this.databases = 0;
  }

  run(program, args) {
    const path = join(this.bin, program);
    const [command, all] = this.asPostgres ? ["runuser", ["-u", "postgres", "--", path, ...args]] : [path, args];
    const out = spawnSync(command, all, { encoding: "utf8" });
    if (out.status !== 0) throw new Error(`${program} failed: ${out.stderr}${out.stdout}`);
    return out.stdout;
  }

  /** A new empty database's URL. */
  database() {
    const name = `e2e_${process.pid}_${this.databases++}`;
    const admin = `postgres://postgres@127.0.0.1:${this.port}/postgres`;
    const out = spawnSync(join(this.bin, "psql"), ["-X", "-q", "-d", admin, "-c", `CREATE DATABASE ${name}`], {
      encoding: "utf8",
    });
    if (out.status !== 0) throw new Error(`CREATE DATABASE failed: ${out.stderr}`);
    return `postgres://postgres@127.0.0.1:${this.port}/${name}`;
  }

  stop() {
    try {
      this.run("pg_ctl", ["-D", this.data, "-m", "immediate", "stop"]);
    } finally {
      rmSync(this.root, { recursive: true, force: true });
    }
  }
}
