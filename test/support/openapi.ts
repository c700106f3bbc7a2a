/**
 * Validates values against a schema of the official OpenAPI description
 * (`../shared/openai/openapi.yaml` beside the repository, else `/work/shared/openai/openapi.yaml`, or
 * `$PARLANCE_OPENAPI`). Node only.
 *
 * The document mixes OpenAPI 3.0 `nullable: true` and boolean `exclusiveMinimum` with 3.1 JSON
 * Schema; both are normalised in memory before Ajv compiles in 2020-12 mode.
 *
 * @example
 * ```ts
 * expect(validateSchema('CreateChatCompletionResponse', body).errors).toEqual([]);
 * ```
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse } from 'yaml';

const besideRepo = fileURLToPath(new URL('../../../shared/openai/openapi.yaml', import.meta.url));
const OPENAPI_PATH =
  process.env.PARLANCE_OPENAPI ??
  (fs.existsSync(besideRepo) ? besideRepo : '/work/shared/openai/openapi.yaml');
const DOC_ID = 'openapi.json';

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

/** Rewrites 3.0 idioms to JSON Schema 2020-12, in place. */
function normaliseOpenApi(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) normaliseOpenApi(item);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Record<string, unknown>;
  for (const value of Object.values(schema)) normaliseOpenApi(value);

  if ('nullable' in schema) {
    const nullable = schema.nullable === true;
    delete schema.nullable;
    if (nullable) {
      if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum.push(null);
      if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
      else if (Array.isArray(schema.type)) {
        if (!schema.type.includes('null')) schema.type.push('null');
      } else {
        // `$ref`, `anyOf`… with no `type`: allow null beside whatever it was.
        const rest = { ...schema };
        for (const key of Object.keys(schema)) delete schema[key];
        schema.anyOf = [rest, { type: 'null' }];
      }
    }
  }
  for (const [bound, limit] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof schema[bound] === 'boolean') {
      if (schema[bound] === true && typeof schema[limit] === 'number') {
        schema[bound] = schema[limit];
        delete schema[limit];
      } else {
        delete schema[bound];
      }
    }
  }
}

function load(): Ajv2020 {
  if (ajv) return ajv;
  const doc = parse(fs.readFileSync(OPENAPI_PATH, 'utf8')) as Record<string, unknown>;
  normaliseOpenApi(doc);
  // Only the components are a schema; paths and the rest would be noise to Ajv.
  const root = { $id: DOC_ID, components: doc.components };
  ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, logger: false });
  ajv.addSchema(root);
  return ajv;
}

/** Result of {@link validateSchema}: `errors` lists `path message` lines, empty when valid. */
export interface SchemaResult {
  valid: boolean;
  errors: string[];
}

/** Validates `value` against `#/components/schemas/<name>` of the OpenAPI document. */
export function validateSchema(name: string, value: unknown): SchemaResult {
  let validate = compiled.get(name);
  if (!validate) {
    validate = load().getSchema(`${DOC_ID}#/components/schemas/${name}`);
    if (!validate) throw new Error(`No schema named ${name} in ${OPENAPI_PATH}`);
    compiled.set(name, validate);
  }
  const valid = validate(value) as boolean;
  const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
  return { valid, errors: valid ? [] : errors };
}
