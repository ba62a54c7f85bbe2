// What every test of a file shares: one embedded PostgreSQL, a fake gateway and, where the file asks,
// one service on the shortened config, started before its first test and stopped after its last.
import { after, before } from "node:test";

import type { EmbeddedDatabase } from "../../db/embeddedPostgres.js";
import { FakeGateway } from "./fakeGateway.js";
import { startDatabase, startService, type Edit, type Service } from "./harness.js";

export interface TestBed {
  readonly db: EmbeddedDatabase;
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
  let db: EmbeddedDatabase | undefined;
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

function started<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new Error(`the test bed has no ${what}: read it inside a test, after its before hook`);
  }
  return value;
}
