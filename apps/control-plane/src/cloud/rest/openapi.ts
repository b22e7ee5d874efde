import type { DescMessage } from '@bufbuild/protobuf';
import { isPublic } from '../auth.ts';
import { SchemaSet, type Schema } from './schemas.ts';
import { fieldAt, type RestRoute } from './routes.ts';

// The OpenAPI document of the REST gateway, from the same route table and descriptors that
// serve it: paths, verbs, path and query parameters, request and response schemas.

const ERROR: Schema = {
  type: 'object',
  description: 'A refused or failed call: the gRPC code (google.rpc.Code), a message naming the cause.',
  properties: { code: { type: 'integer' }, message: { type: 'string' }, details: { type: 'array', items: { type: 'object' } } },
  required: ['code', 'message', 'details'],
};

/** The query parameters of a route without a `*` body: the request's top-level fields not in the path, not messages. */
function queryParameters(route: RestRoute, schemas: SchemaSet): Schema[] {
  if (route.body === '*') return [];
  const bound = new Set([...route.variables.map((v) => v.path.split('.')[0]), route.body]);
  return route.method.input.fields
    .filter((f) => !bound.has(f.name) && f.fieldKind !== 'message' && f.fieldKind !== 'map')
    .map((f) => ({ name: f.name, in: 'query', required: false, schema: schemas.field(f) }));
}

function operation(route: RestRoute, schemas: SchemaSet): Schema {
  const where = `${route.service.typeName}.${route.method.name}`;
  const pathParameters = route.variables.map((v) => ({
    name: v.path,
    in: 'path',
    required: true,
    schema: schemas.field(fieldAt(route.method.input, v.path, where)),
  }));
  const bodyOf = (): DescMessage | undefined => {
    if (route.body === '*') return route.method.input;
    const field = route.body ? fieldAt(route.method.input, route.body, where) : undefined;
    return field?.fieldKind === 'message' ? field.message : undefined;
  };
  const body = bodyOf();
  return {
    operationId: `${route.service.name}_${route.method.name}`,
    tags: [route.service.typeName],
    // A public method (a catalogue) needs no key.
    ...(isPublic(route.method) ? { security: [] } : {}),
    parameters: [...pathParameters, ...queryParameters(route, schemas)],
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: schemas.ref(body) } } } } : {}),
    responses: {
      200: { description: 'OK', content: { 'application/json': { schema: schemas.ref(route.method.output) } } },
      default: { description: 'An error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    },
  };
}

/** OpenAPI's path form: `{management_key.account_id}`, the `=pattern` of a variable dropped. */
const openApiPath = (template: string) => template.replace(/\{([^}=]+)=[^}]*\}/g, '{$1}');

export function openApiDocument(routes: readonly RestRoute[]): Schema {
  const schemas = new SchemaSet();
  const paths: Record<string, Record<string, Schema>> = {};
  for (const route of routes) (paths[openApiPath(route.template)] ??= {})[route.verb.toLowerCase()] = operation(route, schemas);
  return {
    openapi: '3.1.0',
    info: {
      title: 'qhc Cloud API (REST)',
      version: '1',
      description:
        "The REST form of the Cloud API (the hybrid-cloud part of Qdrant Cloud's public API), generated from its google.api.http options. Authenticate with `authorization: apikey <management key>`.",
    },
    components: {
      securitySchemes: { apikey: { type: 'apiKey', in: 'header', name: 'authorization', description: '`apikey <management key>`' } },
      schemas: { ...schemas.components, Error: ERROR },
    },
    security: [{ apikey: [] }],
    paths,
  };
}
