// Holds real responses to src/openapi.json: the documented status, content type, headers and the
// body against the response's schema (Ajv 2020 over the component schemas, as the service uses).
import assert from "node:assert/strict";

import { Ajv2020 } from "ajv/dist/2020.js";

import { componentValidators, openapiDocument } from "../../http/openapi.js";
import type { Answer } from "./harness.js";

interface MediaType {
  schema: { $ref?: string } & Record<string, unknown>;
}
interface ResponseDoc {
  headers?: Record<string, { schema: Record<string, unknown> }>;
  content?: Record<string, MediaType>;
}
type Paths = Record<string, Record<string, { responses: Record<string, ResponseDoc> }>>;

const paths = openapiDocument["paths"] as Paths;
const components = componentValidators();
const inline = new Ajv2020({ strict: true, allErrors: true });

/** Every documented response as `METHOD /path STATUS`. */
export function documentedResponses(): string[] {
  return Object.entries(paths).flatMap(([path, operations]) =>
    Object.entries(operations).flatMap(([method, operation]) =>
      Object.keys(operation.responses).map((status) => `${method.toUpperCase()} ${path} ${status}`),
    ),
  );
}

/** Responses checked so far in this test process. */
export const covered = new Set<string>();

/** Fails unless `answer` is a documented response of `METHOD path` that matches its schema. */
export function assertConforms(method: "GET" | "POST", path: string, answer: Answer): void {
  const operation = paths[path]?.[method.toLowerCase()];
  assert.ok(operation !== undefined, `${method} ${path} is not in openapi.json`);
  const documented = operation.responses[String(answer.status)];
  assert.ok(documented !== undefined, `${method} ${path} answered ${answer.status}, which openapi.json does not list`);
  const [mediaType, media] = Object.entries(documented.content ?? {})[0] ?? [];
  if (mediaType !== undefined && media !== undefined) {
    assert.ok(
      answer.contentType.startsWith(mediaType),
      `${method} ${path} ${answer.status}: content type ${answer.contentType}, documented ${mediaType}`,
    );
    const ref = media.schema.$ref;
    const validate =
      ref === undefined ? inline.compile(media.schema) : components(ref.replace("#/components/schemas/", ""));
    assert.ok(
      validate(answer.body),
      `${method} ${path} ${answer.status} does not match its schema: ${JSON.stringify(validate.errors)}\nbody: ${JSON.stringify(answer.body)}`,
    );
  }
  for (const [name, header] of Object.entries(documented.headers ?? {})) {
    const value = answer.headers.get(name);
    assert.ok(value !== null, `${method} ${path} ${answer.status} lacks the documented header ${name}`);
    assert.ok(inline.validate(header.schema, value), `${method} ${path} ${answer.status}: header ${name} is ${value}`);
  }
  covered.add(`${method} ${path} ${answer.status}`);
}
