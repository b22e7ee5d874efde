import { ClusterSpecRequest, DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, Region } from '@qhc/schemas';
import * as z from 'zod';

const schema = (type: z.ZodType) => z.toJSONSchema(type, { io: 'input', unrepresentable: 'any' });
const json = (ref: string) => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const op = (summary: string, extra: Record<string, unknown> = {}) => ({
  summary,
  security: [{ bearer: [] }, { session: [] }],
  responses: {
    200: { description: 'OK' },
    401: { description: 'no valid token or session' },
    403: { description: 'a token of another kind, or a session request without its CSRF token or from another site (CsrfRejected)' },
    404: { description: 'not found' },
  },
  ...extra,
});
// Every list: keyset pages of @qhc/schemas' Page, { items, nextPageToken? }.
const list = (summary: string) =>
  op(summary, {
    parameters: [
      {
        name: 'limit',
        in: 'query',
        schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT },
        description: 'items per page; 400 outside the range',
      },
      {
        name: 'pageToken',
        in: 'query',
        schema: { type: 'string' },
        description: 'the nextPageToken of the previous page, unchanged (opaque); absent for the first page. 400 when malformed',
      },
    ],
    responses: {
      ...op('').responses,
      200: { description: '{ items, nextPageToken? }: nextPageToken is present when more items follow' },
      400: { description: 'limit or pageToken is invalid (the message names it)' },
    },
  });
const sessionOk = { 200: { description: 'the session', ...json('Session') }, 401: { description: 'no session, or it expired' } };

const COMPONENTS = {
  securitySchemes: {
    bearer: { type: 'http', scheme: 'bearer' },
    // The console's session; state-changing calls with it also need the X-CSRF-Token header.
    session: { type: 'apiKey', in: 'cookie', name: 'qhc_session' },
  },
  schemas: {
    Region: schema(Region),
    Cluster: {
      type: 'object',
      required: ['name', 'spec'],
      properties: { name: { type: 'string' }, spec: schema(ClusterSpecRequest), apiKey: { type: 'string' }, readOnlyApiKey: { type: 'string' } },
    },
    Session: {
      type: 'object',
      required: ['csrfToken', 'expiresAt', 'tokenName'],
      properties: {
        csrfToken: { type: 'string', description: 'send as X-CSRF-Token with every POST, PUT and DELETE made with the session cookie' },
        expiresAt: { type: 'string', format: 'date-time' },
        tokenName: { type: 'string' },
      },
    },
    Error: { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' }, problems: { type: 'array' } } },
  },
};

/** Every path of the API, by area (the console's session, regions and clusters, the agent's). */
const PATHS = {
  '/api/v1/session': {
    post: {
      summary: 'Sign in to the console: a user token exchanged for an HttpOnly, SameSite=Strict session cookie (Secure over HTTPS)',
      requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['token'], properties: { token: { type: 'string' } } } } } },
      responses: {
        201: { description: 'signed in; Set-Cookie qhc_session', ...json('Session') },
        400: { description: 'no token' },
        401: { description: 'the token is not valid' },
        403: { description: 'not a user token, or from another site' },
      },
    },
    get: { summary: 'The current session and its CSRF token', security: [{ session: [] }], responses: sessionOk },
    delete: {
      summary: 'Sign out: the session ends and the cookie is cleared',
      security: [{ session: [] }],
      responses: { 204: { description: 'signed out' }, 401: { description: 'no session' }, 403: { description: 'without the CSRF token' } },
    },
  },
  '/api/v1/regions': { get: list('List regions'), post: op('Create a region', { requestBody: json('Region') }) },
  '/api/v1/regions/{region}': {
    get: op('Read a region'),
    put: op('Update a region (the namespace cannot change)', { requestBody: json('Region') }),
    delete: op('Delete a region'),
  },
  '/api/v1/regions/{region}/installation': {
    post: op(
      'A new installation command with a one-time bootstrap token and when it expires (expiresAt); 409 when the control plane cannot make one (public URL not https)',
    ),
  },
  '/install/{bootstrapToken}': {
    get: {
      summary: "The installation script for the token's region (bash)",
      responses: { 200: { description: 'the script' }, 401: { description: 'the token is unknown, used, revoked or expired' } },
    },
  },
  '/install/{bootstrapToken}/helm': {
    get: {
      summary: "The same installation with Helm: the region's chart from its chart repository, values on stdin (bash)",
      responses: { 200: { description: 'the script' }, 401: { description: 'the token is unknown, used, revoked or expired' } },
    },
  },
  '/api/v1/regions/{region}/clusters': { get: list('List the clusters of a region'), post: op('Create a cluster', { requestBody: json('Cluster') }) },
  '/api/v1/regions/{region}/clusters/{cluster}': {
    get: op('Read a cluster and its status'),
    put: op("Replace a cluster's spec", { requestBody: json('Cluster') }),
    delete: op('Delete a cluster (the agent deletes it, then it is gone)'),
  },
  '/api/v1/regions/{region}/clusters/{cluster}/scale': {
    post: op('Set the number of nodes', {
      requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { size: { type: 'integer', minimum: 1 } } } } } },
    }),
  },
  '/api/v1/regions/{region}/clusters/{cluster}/events': {
    get: list(
      "The cluster's timeline, newest first: changes asked for (Requested) and changes of the status the agent reported (Phase, Nodes, Version, Condition)",
    ),
  },
  '/api/v1/regions/{region}/clusters/{cluster}/restart': { post: op('Restart every node, one at a time (the restartedAt annotation)') },
  '/api/v1/regions/{region}/backups': {
    get: list('Backups (QdrantClusterSnapshot) made here or found in the region'),
    post: op('Back up a cluster: { name, clusterId, spec }'),
  },
  '/api/v1/regions/{region}/backups/{name}': { delete: op('Delete a backup and its volume snapshots') },
  '/api/v1/regions/{region}/backup-schedules': {
    get: list('Backup schedules'),
    post: op('A backup schedule: { name, clusterId, spec: { cluster-id, scheduleShortId, schedule, retention } }'),
  },
  '/api/v1/regions/{region}/backup-schedules/{name}': { delete: op('Delete a schedule') },
  '/api/v1/regions/{region}/restores': { get: list('Restores'), post: op('Restore a backup: { name, clusterId, spec: { source, destination } }') },
  '/api/v1/regions/{region}/restores/{name}': { delete: op('Delete a restore record') },
  '/api/v1/tokens': { get: list('List user tokens'), post: op('Create a user token') },
  '/api/v1/tokens/{id}': { delete: op('Revoke a token') },
  '/api/v1/regions/{region}/tokens': { get: list("List a region's bootstrap and agent tokens") },
  '/agent/v1/register': { post: op("Agent: exchange the bootstrap token, once, for the region's credential") },
  '/agent/v1/rotate': { post: op('Agent: a new credential; the current one stops working') },
  '/agent/v1/desired-state': {
    get: op(
      "Agent: the region's desired state after a revision (long-poll with waitSeconds; 204 when nothing changed; 400 when after or waitSeconds is not a whole number in range)",
    ),
  },
  '/agent/v1/status': { post: op("Agent: the region's and its clusters' status") },
};

/** The API as OpenAPI 3.1, served at /openapi.json; request schemas come from @qhc/schemas. */
export function openApiDocument(serverUrl: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'qhc control plane',
      version: '1',
      description:
        "Regions (Kubernetes clusters attached as private regions), their Qdrant clusters, installation commands, and the agent endpoint. Every call takes `Authorization: Bearer <token>`, or the web console's session cookie (from POST /api/v1/session) with the `X-CSRF-Token` header on POST, PUT and DELETE.",
    },
    servers: [{ url: serverUrl }],
    components: COMPONENTS,
    paths: PATHS,
  };
}
