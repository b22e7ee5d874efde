// What a Cloud API client is told when a service throws: its own ConnectErrors as they are, the
// control plane's ApiErrors by their gRPC code, anything else as "internal error" (logged whole).
import { Code, ConnectError } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { toConnectError } from '../src/cloud/errors.ts';
import { HTTP_STATUS } from '../src/cloud/codes.ts';
import { ApiError } from '../src/errors.ts';

function recordingLogger() {
  const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push([level, message, fields]);
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => recordingLogger().logger } };
}

describe('errors of Cloud API calls', () => {
  it('keeps ConnectErrors, maps ApiErrors by status, and hides anything else behind Internal', () => {
    const { lines, logger } = recordingLogger();
    const own = new ConnectError('cluster x does not exist', Code.NotFound);
    expect(toConnectError(own, 'S/M', logger as never)).toBe(own);
    const mapped = [
      [new ApiError(503, 'Unavailable', 'the database is unavailable'), Code.Unavailable],
      [new ApiError(409, 'Conflict', 'taken'), Code.AlreadyExists],
      [new ApiError(422, 'Invalid', 'namespace cannot change'), Code.InvalidArgument],
      [new ApiError(500, 'Internal', 'broken'), Code.Internal],
    ] as const;
    for (const [error, code] of mapped) expect([toConnectError(error, 'S/M', logger as never).code, error.message]).toEqual([code, error.message]);
    const hidden = toConnectError(new Error('SELECT secret FROM somewhere failed at 10.0.0.5'), 'S/M', logger as never);
    expect([hidden.code, hidden.rawMessage]).toEqual([Code.Internal, 'internal error']);
    expect(lines.filter(([level]) => level === 'error').map(([, , fields]) => fields?.error)).toEqual([
      'the database is unavailable',
      'broken',
      'SELECT secret FROM somewhere failed at 10.0.0.5',
    ]);
  });

  it('answers REST errors with the google.rpc HTTP status of each code', () => {
    expect(
      [
        Code.InvalidArgument,
        Code.Unauthenticated,
        Code.PermissionDenied,
        Code.NotFound,
        Code.AlreadyExists,
        Code.FailedPrecondition,
        Code.ResourceExhausted,
        Code.Internal,
        Code.Unavailable,
      ].map((code) => HTTP_STATUS[code]),
    ).toEqual([400, 401, 403, 404, 409, 400, 429, 500, 503]);
  });
});
