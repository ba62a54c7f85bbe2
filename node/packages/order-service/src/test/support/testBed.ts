// What every test of a file shares: one throwaway database, a fake gateway and, where the file asks,
// one service on the shortened config, started before its first test and stopped after its last.
import { after, before } from "node:test";

import { FakeGateway } from "./fakeGateway.js";
import { startDatabase, startService, type Edit, type Service } from "./harness.js";
import type { TestDatabase } from "./testDatabase.js";

export interface TestBed {
  readonly db: TestDatabase;
  readonly gateway: FakeGateway;
  readonly service: Service;
}

export interface TestBedOptions {
  /** false for a file whose tests each start their own gateway. */
  readonly gateway?: boolean;
  /** The edits of a service shared by the whole file; no shared service when absent. */
  readonly service?: readonly Edit[];
}

/**
 * Registers the file's `before` and `after` hooks; call it at the top level of a test file. Read
 * the fields inside tests and hooks only: they are set once `before` has run.
 */
export function useTestBed(options: TestBedOptions = {}): TestBed {
  let db: TestDatabase | undefined;
  let gateway: FakeGateway | undefined;
  let service: Service | undefined;
  before(async () => {
    db = await startDatabase();
    if (options.gateway ?? true) {
      gateway = await FakeGateway.start();
    }
    if (options.service !== undefined) {
      service = await startService({ db, gateway: started(gateway, "gateway"), edits: options.service });
    }
  });
  after(async () => {
    await service?.close();
    await gateway?.close();
    await db?.destroy();
  });
  return {
    get db() {
      return started(db, "database");
    },
    get gateway() {
      return started(gateway, "gateway");
    },
    get service() {
      return started(service, "service");
    },
  };
}

/** A service with a fake gateway of its own for one test, on `db`; both stopped at its end. */
export async function withServiceAndGateway(
  db: { readonly url: string },
  run: (service: Service, gateway: FakeGateway) => Promise<void>,
  edits: readonly Edit[] = [],
): Promise<void> {
  const gateway = await FakeGateway.start();
  const service = await startService({ db, gateway, edits });
  try {
    await run(service, gateway);
  } finally {
    await service.close();
    await gateway.close();
  }
}

function started<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new Error(`the test bed has no ${what}: read it inside a test, after its before hook`);
  }
  return value;
}
