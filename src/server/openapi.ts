/**
 * Builds the OpenAPI 3.1 document from the same route list and JSON schemas Fastify validates requests with,
 * so the document cannot drift from what the server accepts. OpenAPI 3.1 schemas are JSON Schema 2020-12.
 */
import { ERROR_MAPPING } from '../shared/index.js';
import { ERROR_SCHEMA, type Route } from './routes/route.js';

function pathOf(url: string): string {
  return url.replace(/:([A-Za-z_]+)/g, '{$1}');
}

function parameters(route: Route): object[] {
  const params = route.schema?.params as { properties?: Record<string, object>; required?: string[] } | undefined;
  const query = route.schema?.querystring as { properties?: Record<string, object>; required?: string[] } | undefined;
  const list = (where: 'path' | 'query', s: typeof params) =>
    Object.entries(s?.properties ?? {}).map(([name, schema]) => ({
      name,
      in: where,
      required: where === 'path' || (s?.required ?? []).includes(name),
      schema,
    }));
  return [...list('path', params), ...list('query', query)];
}

export function openapiDocument(routes: readonly Route[], version: string, auth: 'jwt' | 'none'): object {
  const paths: Record<string, Record<string, object>> = {};
  const errorStatuses = [...new Set(Object.values(ERROR_MAPPING).map((m) => m.http))].filter((s) => s >= 400);
  for (const route of routes) {
    const body = route.schema?.body as { anyOf?: object[] } | undefined;
    const content: Record<string, object> = {};
    if (body) {
      const [text, json] = body.anyOf ?? [undefined, body];
      if (json) content['application/json'] = { schema: json };
      for (const type of route.consumes ?? []) if (text) content[type] = { schema: text };
    }
    const responses: Record<string, object> = {};
    for (const [status, schema] of Object.entries(route.schema?.response ?? { 200: {} }))
      responses[status] = {
        description: route.summary,
        content: { [route.produces ?? 'application/json']: { schema } },
      };
    responses['default'] = { description: 'error', content: { 'application/json': { schema: ERROR_SCHEMA } } };
    (paths[pathOf(route.url)] ??= {})[route.method.toLowerCase()] = {
      summary: route.summary,
      operationId: `${route.method.toLowerCase()}${route.url.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      ...(route.scope && auth === 'jwt' ? { security: [{ bearer: [route.scope] }] } : {}),
      parameters: parameters(route),
      ...(body ? { requestBody: { required: true, content } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'MAML Gateway',
      version,
      description: `Error statuses used: ${errorStatuses.join(', ')}; every error body is {error: {code, message}}.`,
    },
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
