import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";

import document from "../openapi.json" with { type: "json" };

/** The service's API (src/openapi.json), served at GET /openapi.json. */
export const openapiDocument: Readonly<Record<string, unknown>> = document;

const SCHEMAS_ID = "https://checkout.example/order-service/openapi.json";

/**
 * One Ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1) over the document's component schemas,
 * so the request validation of the service and the response checks of the tests read one text.
 */
export function componentValidators(): (name: string) => ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true });
  // Component refs (`#/components/schemas/X`) become `$defs` refs of a plain schema: the document
  // root holds keywords (`openapi`, `paths`) that are no JSON Schema.
  const schemas = JSON.parse(
    JSON.stringify(document.components.schemas).replaceAll("#/components/schemas/", "#/$defs/"),
  ) as Record<string, unknown>;
  ajv.addSchema({ $id: SCHEMAS_ID, $defs: schemas });
  return (name) => {
    const validate = ajv.getSchema(`${SCHEMAS_ID}#/$defs/${name}`);
    if (validate === undefined) {
      throw new Error(`openapi.json has no component schema ${name}`);
    }
    return validate;
  };
}

export type { ErrorObject };
