/**
 * Request validation against GitHub's published OpenAPI description (@octokit/openapi,
 * api.github.com). Every request is matched to an operation by method and path template, then its
 * path and query parameters and JSON body are checked with the operation's own schemas (ajv, with
 * OpenAPI 3.0's `nullable`). Limits the description states only in prose (per_page <= 100) are
 * checked by hand. Responses are checked the same way: a stand-in's answer must be one GitHub could
 * give, or a client that works against the stand-in may still fail against GitHub.
 */
import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: object;
}

interface Response {
  content?: Record<string, { schema: object; examples?: Record<string, { $ref?: string; value?: unknown }> }>;
}

interface Operation {
  operationId: string;
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { required?: boolean; content: Record<string, { schema: object }> };
  responses?: Record<string, Response | { $ref: string }>;
}

interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: {
    parameters: Record<string, Parameter>;
    schemas: Record<string, object>;
    responses: Record<string, Response>;
    examples: Record<string, { value: unknown }>;
  };
}

export interface MatchedOperation {
  operationId: string;
  template: string;
  pathParams: Record<string, string>;
  query: Record<string, string>;
}

export type Validation =
  { ok: true; op: MatchedOperation } | { ok: false; unknownRoute: boolean; problems: string[] };

interface Route {
  method: string;
  template: string;
  regex: RegExp;
  names: string[];
  literalSegments: number;
  op: Operation;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export class OpenApiValidator {
  private readonly spec: Spec;
  private readonly routes: Route[] = [];
  private readonly bodyAjv: Ajv.Ajv;
  private readonly paramAjv: Ajv.Ajv;
  private readonly cache = new Map<string, Ajv.ValidateFunction>();

  constructor() {
    const require = createRequire(import.meta.url);
    const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
    this.spec = JSON.parse(readFileSync(file, 'utf8')) as Spec;
    const options = {
      nullable: true,
      unknownFormats: 'ignore' as const,
      allErrors: true,
      schemaId: 'auto' as const,
      logger: false as const,
    };
    this.bodyAjv = new Ajv(options);
    this.paramAjv = new Ajv({ ...options, coerceTypes: true });
    const components = { $id: 'gh', components: this.spec.components };
    this.bodyAjv.addSchema(components);
    this.paramAjv.addSchema(components);
    for (const [template, item] of Object.entries(this.spec.paths)) {
      const names: string[] = [];
      const segments = template.split('/');
      const regex = new RegExp(
        '^' +
          segments
            .map((s) => {
              const m = /^\{(.+)\}$/.exec(s);
              if (!m) return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
              names.push(m[1]);
              return '([^/]+)';
            })
            .join('/') +
          '$',
      );
      const literalSegments = segments.filter((s) => !s.startsWith('{')).length;
      for (const method of METHODS)
        if (item[method])
          this.routes.push({ method, template, regex, names, literalSegments, op: item[method] });
    }
  }

  validate(method: string, url: URL, body: unknown, hasBody: boolean): Validation {
    const path = url.pathname;
    const candidates = this.routes
      .filter((r) => r.method === method.toLowerCase() && r.regex.test(path))
      // `/actions/artifacts` must win over `/actions/{anything}`.
      .sort((a, b) => b.literalSegments - a.literalSegments);
    const route = candidates[0];
    if (!route)
      return {
        ok: false,
        unknownRoute: true,
        problems: [`${method} ${path}: no such operation in GitHub's REST API description`],
      };
    const problems: string[] = [];
    const values = route.regex.exec(path)?.slice(1) ?? [];
    const pathParams = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(values[i])]));
    const query = Object.fromEntries(url.searchParams.entries());
    const params = (route.op.parameters ?? []).map((p) => this.param(p));
    for (const p of params) {
      const value = p.in === 'path' ? pathParams[p.name] : p.in === 'query' ? query[p.name] : undefined;
      if (p.in !== 'path' && p.in !== 'query') continue;
      if (value === undefined) {
        if (p.required || p.in === 'path') problems.push(`${p.in} parameter '${p.name}' is required`);
        continue;
      }
      if (p.schema) {
        // Wrapped in an object so coercion ("30" -> 30) has a property to write back to.
        const v = this.compile(this.paramAjv, `param:${route.op.operationId}:${p.in}:${p.name}`, {
          type: 'object',
          properties: { value: p.schema },
        });
        if (!v({ value }))
          problems.push(
            `${p.in} parameter '${p.name}'='${value}': ${this.paramAjv.errorsText(v.errors ?? null)}`,
          );
      }
      if (p.name === 'per_page' && Number(value) > 100)
        problems.push(`per_page=${value}: GitHub allows at most 100`);
    }
    for (const name of Object.keys(query)) {
      if (!params.some((p) => p.in === 'query' && p.name === name))
        problems.push(`query parameter '${name}' is not defined for ${route.op.operationId}`);
    }
    const schema = route.op.requestBody?.content['application/json']?.schema;
    if (schema) {
      if (!hasBody && route.op.requestBody?.required) problems.push('a JSON request body is required');
      else if (hasBody) {
        const v = this.compile(this.bodyAjv, `body:${route.op.operationId}`, schema);
        if (!v(body)) problems.push(`request body: ${this.bodyAjv.errorsText(v.errors ?? null)}`);
      }
    } else if (hasBody && method !== 'GET') problems.push(`${route.op.operationId} takes no request body`);
    if (problems.length > 0)
      return {
        ok: false,
        unknownRoute: false,
        problems: problems.map((p) => `${route.op.operationId} (${method} ${route.template}): ${p}`),
      };
    return {
      ok: true,
      op: { operationId: route.op.operationId, template: route.template, pathParams, query },
    };
  }

  /**
   * Problems with a response body for this operation and status; statuses the description does not
   * list for the operation (a 502 from a proxy) and bodies it does not describe as JSON pass.
   */
  validateResponse(operationId: string, status: number, body: unknown): string[] {
    const route = this.routes.find((r) => r.op.operationId === operationId);
    if (!route) return [`${operationId}: no such operation`];
    let response = route.op.responses?.[String(status)];
    if (response && '$ref' in response)
      response = this.spec.components.responses[response.$ref.replace('#/components/responses/', '')];
    const schema = response?.content?.['application/json']?.schema;
    if (!schema) return [];
    const v = this.compile(this.bodyAjv, `response:${operationId}:${status}`, schema);
    if (v(body)) return [];
    return [
      `${operationId} response ${status}: ${this.bodyAjv.errorsText(v.errors ?? null, { dataVar: 'response' })}`,
    ];
  }

  /** A deep copy of GitHub's documented example answer of this operation (its `default` example). */
  example(operationId: string, status: number): unknown {
    const route = this.routes.find((r) => r.op.operationId === operationId);
    const response = route?.op.responses?.[String(status)];
    const ex =
      response && !('$ref' in response)
        ? response.content?.['application/json']?.examples?.default
        : undefined;
    const value = ex?.$ref
      ? this.spec.components.examples[ex.$ref.replace('#/components/examples/', '')]?.value
      : ex?.value;
    if (value === undefined)
      throw new Error(`GitHub's description has no example for ${operationId} ${status}`);
    return structuredClone(value);
  }

  private param(p: Parameter | { $ref: string }): Parameter {
    if ('$ref' in p) {
      const name = p.$ref.replace('#/components/parameters/', '');
      const resolved = this.spec.components.parameters[name];
      if (!resolved) throw new Error(`unresolvable parameter ${p.$ref}`);
      return resolved;
    }
    return p;
  }

  private compile(ajv: Ajv.Ajv, key: string, schema: object): Ajv.ValidateFunction {
    let v = this.cache.get(key);
    if (!v) {
      v = ajv.compile(rewriteRefs(schema));
      this.cache.set(key, v);
    }
    return v;
  }
}

/** `#/components/...` inside an operation points into the separately added components schema. */
function rewriteRefs(schema: object): object {
  return JSON.parse(
    JSON.stringify(schema).replace(/"\$ref":"#\/components\//g, '"$ref":"gh#/components/'),
  ) as object;
}
