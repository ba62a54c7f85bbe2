// Where the order service's PostgreSQL is: `--database-url`, else `DATABASE_URL`, else the repo's
// durable dev server (`python -m tools.pg up`, data in .data/postgres).

/** The durable dev database that `python -m tools.pg up` serves (port 54329, trust auth on loopback). */
export const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:54329/orders";

/** Set by tools that start a server only for one run (tools/stack, tests): the service warns loudly. */
export const THROWAWAY_ENV = "CHECKOUT_DB_THROWAWAY";

/** Where the URL came from, so a start-up failure can say what to change. */
export type DatabaseUrlSource = "--database-url" | "DATABASE_URL" | "default";

export interface DatabaseTarget {
  readonly url: string;
  readonly source: DatabaseUrlSource;
}

/** Thrown for a URL that is no libpq URL; the message names the value (without its password). */
export class DatabaseUrlError extends Error {
  override readonly name = "DatabaseUrlError";
}

/** The flag wins over the environment, the environment over the dev default. */
export function resolveDatabaseUrl(flag: string | undefined, env: NodeJS.ProcessEnv): DatabaseTarget {
  const target: DatabaseTarget =
    flag !== undefined
      ? { url: flag, source: "--database-url" }
      : env["DATABASE_URL"] !== undefined && env["DATABASE_URL"] !== ""
        ? { url: env["DATABASE_URL"], source: "DATABASE_URL" }
        : { url: DEFAULT_DATABASE_URL, source: "default" };
  checkDatabaseUrl(target);
  return target;
}

function checkDatabaseUrl(target: DatabaseTarget): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(target.url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== "postgresql:" && parsed.protocol !== "postgres:") || !parsed.host) {
    throw new DatabaseUrlError(
      `${target.source} must be a PostgreSQL URL postgresql://user[:password]@host:port/database, ` +
        `but was ${JSON.stringify(redactUrl(target.url))}`,
    );
  }
}

/** The URL as it may be shown: a password (in the authority or as `?password=`) becomes `***`. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not a URL: hide whatever sits between "://user:" and "@", the one place a password could be.
    return url.replace(/(:\/\/[^:/@]*:)[^@]*@/, "$1***@");
  }
  if (parsed.password !== "") {
    parsed.password = "***";
  }
  if (parsed.searchParams.has("password")) {
    parsed.searchParams.set("password", "***");
  }
  return parsed.toString();
}

/** Whether the environment says the database is thrown away when the run ends. */
export function isThrowaway(env: NodeJS.ProcessEnv): boolean {
  return env[THROWAWAY_ENV] === "1";
}

/** What to tell a person whose database could not be reached at start. */
export function unreachableHint(target: DatabaseTarget): string {
  return target.source === "default"
    ? "start the repo's dev database with `python -m tools.pg up` (from the repository root), or point the service " +
        "at another one with --database-url URL or DATABASE_URL"
    : `check that the server is up and the database exists, or fix ${target.source}`;
}
