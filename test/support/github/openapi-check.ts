import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/*
 * GitHub's official OpenAPI description (the @octokit/openapi package) as checks for the local
 * stand-in of GitHub's REST API: which operation a request is, whether the request is one the
 * description allows (token, query parameters, JSON body), and whether the stand-in's own
 * response is one the description gives for that operation and status. The second keeps the
 * stand-in from drifting away from GitHub: a test would otherwise pass against answers GitHub
 * never gives.
 */

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Json;
}
interface Content {
  content?: Record<string, { schema?: Json }>;
}
interface Operation {
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { required?: boolean } & Content;
  responses: Record<string, Content | { $ref: string }>;
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: Json & {
    parameters: Record<string, Parameter>;
    responses: Record<string, Content>;
  };
}

const SPEC_FILE = require.resolve('@octokit/openapi/generated/api.github.com.json');
let loaded: { spec: Spec; ajv: Ajv } | undefined;
const compiled = new Map<string, ValidateFunction>();

/**
 * OpenAPI 3.0 schema → JSON Schema for ajv: local refs point into the registered description,
 * and `nullable: true` becomes "or null" (ajv's own `nullable` needs a `type` beside it, which
 * GitHub's `allOf` references lack), and `oneOf` becomes `anyOf`: the description's
 * alternatives overlap (the contents PUT's 409 is a basic error or a rule violation, and every
 * basic error body is both), so "exactly one" would refuse GitHub's own answers.
 */
function jsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(jsonSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const converted: Json = {};
  for (const [key, value] of Object.entries(schema as Json)) {
    if (key === 'nullable') continue;
    if (key === '$ref' && typeof value === 'string') converted[key] = `github${value}`;
    else if (key === 'oneOf') converted.anyOf = jsonSchema(value);
    else if (key === 'properties' && value && typeof value === 'object') {
      converted[key] = Object.fromEntries(
        Object.entries(value as Json).map(([name, s]) => [name, jsonSchema(s)]),
      );
    } else converted[key] = jsonSchema(value);
  }
  return (schema as Json).nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted;
}

function openApi(): { spec: Spec; ajv: Ajv } {
  if (!loaded) {
    const spec = JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as Spec;
    // `example`, `x-github` and the like are notes, not keywords: not strict.
    const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(ajv);
    ajv.addSchema({ $id: 'github', components: jsonSchema(spec.components) }, 'github');
    loaded = { spec, ajv };
  }
  return loaded;
}

function validator(key: string, schema: Json): ValidateFunction {
  let validate = compiled.get(key);
  if (!validate) {
    validate = openApi().ajv.compile(jsonSchema(schema) as Json);
    compiled.set(key, validate);
  }
  return validate;
}

function problemsOf(where: string, validate: ValidateFunction, value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map(
    (e) => `${where}${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`,
  );
}

function matchPath(template: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    names.push(name);
    // The contents API's `{path}` spans folders (`x-multi-segment` in the description).
    return name === 'path' ? '(.+)' : '([^/]+)';
  });
  const match = new RegExp(`^${pattern}$`).exec(path);
  if (!match) return undefined;
  return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(match[i + 1]!)]));
}

function resolve<T>(value: T | { $ref: string }, table: Record<string, T>): T {
  if (value && typeof value === 'object' && '$ref' in value) {
    return table[value.$ref.split('/').pop()!]!;
  }
  return value;
}

export interface CheckedRequest {
  /** The operation's path template, when the description has one for the request. */
  template: string | undefined;
  params: Record<string, string>;
  problems: string[];
}

/** The request against the description: an operation, a token, its query and its JSON body. */
export function checkRequest(
  method: string,
  url: URL,
  body: unknown,
  authorization: string | undefined,
): CheckedRequest {
  const { spec } = openApi();
  for (const [template, operations] of Object.entries(spec.paths)) {
    const params = matchPath(template, url.pathname);
    const operation = operations[method.toLowerCase()];
    if (!params || !operation) continue;
    const problems: string[] = [];
    if (!authorization || !/^(token|bearer) \S+$/i.test(authorization)) problems.push('no token');
    for (const entry of operation.parameters ?? []) {
      const parameter = resolve(entry, spec.components.parameters);
      if (parameter.in !== 'query' || !parameter.schema) continue;
      const text = url.searchParams.get(parameter.name);
      if (text === null) continue;
      const value = parameter.schema.type === 'integer' ? Number(text) : text;
      const key = `${method} ${template} ?${parameter.name}`;
      problems.push(
        ...problemsOf(`query ${parameter.name}`, validator(key, parameter.schema), value),
      );
    }
    for (const name of url.searchParams.keys()) {
      const known = (operation.parameters ?? []).some(
        (p) => resolve(p, spec.components.parameters).name === name,
      );
      if (!known) problems.push(`query ${name} is not a parameter of the operation`);
    }
    const schema = operation.requestBody?.content?.['application/json']?.schema;
    if (schema) {
      if (body === undefined && operation.requestBody?.required) problems.push('no body');
      else if (body !== undefined)
        problems.push(...problemsOf('body', validator(`${method} ${template}`, schema), body));
    }
    return { template, params, problems };
  }
  return { template: undefined, params: {}, problems: [`no operation ${method} ${url.pathname}`] };
}

/**
 * The stand-in's response against the description: a status the operation lists, with a body
 * its schema allows. Statuses GitHub gives for any operation without listing them (401, 429,
 * 5xx) must carry GitHub's basic error body.
 */
export function checkResponse(
  method: string,
  template: string,
  status: number,
  body: unknown,
): string[] {
  const { spec } = openApi();
  const operation = spec.paths[template]?.[method.toLowerCase()];
  if (!operation) return [`no operation ${method} ${template}`];
  const listed = operation.responses[String(status)];
  const where = `response ${status}`;
  if (!listed) {
    if (status < 400) return [`${where} is not a status the operation gives`];
    const error = { $ref: '#/components/schemas/basic-error' };
    return problemsOf(where, validator('basic-error', error), body);
  }
  const response = resolve(listed, spec.components.responses);
  const schema = response.content?.['application/json']?.schema;
  if (!schema) return body === undefined ? [] : [`${where} has a body the operation does not`];
  return problemsOf(where, validator(`${method} ${template} ${status}`, schema), body);
}

/** An example object from the description (for the parts of an answer Embargo never reads). */
export function openApiExample(name: string): Json {
  const examples = openApi().spec.components.examples as Record<string, { value: Json }>;
  return structuredClone(examples[name]!.value);
}
