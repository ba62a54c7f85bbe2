// How the embedded server's programs run for the user this process is (PostgreSQL refuses root).
import { spawnSync } from "node:child_process";

const USER = "postgres";
// Inside a user namespace the process is this uid; PostgreSQL only refuses uid 0.
const NAMESPACE_UID = 1000;

/**
 * How initdb and postgres run. PostgreSQL refuses to run as root. As root, the first choice is a user
 * namespace (`unshare --user --map-user=1000`): inside it the server is uid 1000, outside it is still
 * root, so it reads the binaries wherever the checkout is — also under a mode-700 directory like
 * /root, where a `postgres` system user gets EACCES. Where user namespaces are not allowed, a
 * `postgres` system user is the fallback (it must be able to enter the checkout).
 */
export type Runner =
  | { readonly kind: "self" }
  | { readonly kind: "namespace" }
  | { readonly kind: "system-user"; readonly uid: number; readonly gid: number };

export const NAMESPACE_FLAGS = ["--user", `--map-user=${NAMESPACE_UID}`, `--map-group=${NAMESPACE_UID}`];
let chosen: Runner | undefined;

/** Picks (once per process) how to run the server as the user this process is (see {@link Runner}). */
export function chooseRunner(): Runner {
  chosen ??= (() => {
    if (process.getuid?.() !== 0) {
      return { kind: "self" } as const;
    }
    if (spawnSync("unshare", [...NAMESPACE_FLAGS, "true"], { stdio: "ignore" }).status === 0) {
      return { kind: "namespace" } as const;
    }
    return systemUser();
  })();
  return chosen;
}

function systemUser(): Runner {
  const id = (flag: string): number => Number(spawnSync("id", [flag, USER], { encoding: "utf8" }).stdout.trim());
  if (spawnSync("id", [USER], { stdio: "ignore" }).status !== 0) {
    spawnSync("useradd", ["--system", "--user-group", "--no-create-home", USER], { stdio: "ignore" });
  }
  const uid = id("-u");
  const gid = id("-g");
  if (!Number.isInteger(uid) || uid <= 0) {
    throw new Error(
      `running as root without user namespaces (unshare ${NAMESPACE_FLAGS.join(" ")} failed) and no '${USER}' ` +
        "user could be created: set CHECKOUT_PG_URL to a PostgreSQL server instead",
    );
  }
  return { kind: "system-user", uid, gid };
}

/** The runner in words, for error messages. */
export function describeRunner(runner: Runner): string {
  switch (runner.kind) {
    case "self":
      return `run as uid ${process.getuid?.() ?? "?"}`;
    case "namespace":
      return `run as root through unshare ${NAMESPACE_FLAGS.join(" ")}`;
    case "system-user":
      return `run as the '${USER}' system user (uid ${runner.uid}), which must be able to enter the checkout`;
  }
}
