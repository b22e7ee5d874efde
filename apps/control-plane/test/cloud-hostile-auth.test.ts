// A stranger's call is refused on its headers: the answer comes while its body is still open,
// so none of it was read (nor decoded). And a body that never ends is cut at the deadline.
import { describe, expect, it } from 'vitest';
import { cloudPlane } from './support/cloud.ts';
import { hybridDigest } from './support/hybrid.ts';
import { CREATE_ENVIRONMENT, createEnvironmentBytes, grpcFrame, rawH1, rawH2 } from './support/hostile.ts';

const NO_KEY = { authorization: 'apikey qhc_m_not-a-key-0123456789' };

describe('a call without a valid key, its body never ended', () => {
  const plane = cloudPlane('sqlite');

  it('answers Unauthenticated over gRPC before the body ends', async () => {
    const before = await hybridDigest(plane);
    const frame = grpcFrame(createEnvironmentBytes(plane.cp.accountId, 'stranger'));
    const answer = await rawH2(plane, CREATE_ENVIRONMENT, frame.subarray(0, 10), NO_KEY, false);
    expect(answer.grpcStatus).toBe('16');
    expect(answer.grpcMessage).toBe('unknown management key');
    expect(await hybridDigest(plane)).toEqual(before);
  });

  it('answers Unauthenticated over Connect JSON and REST before the body ends', async () => {
    const body = `{"hybridCloudEnvironment":{"accountId":"${plane.cp.accountId}","name":"stranger"`;
    const connect = await rawH1(plane, CREATE_ENVIRONMENT, body, NO_KEY, false);
    expect(connect.status).toBe(401);
    expect(JSON.parse(connect.text)).toMatchObject({ code: 'unauthenticated', message: 'unknown management key' });
    const rest = await rawH1(plane, `/api/hybrid/v1/accounts/${plane.cp.accountId}/hybrid-cloud-environments`, body, {}, false);
    expect(rest.status).toBe(401);
    expect(JSON.parse(rest.text)).toMatchObject({ code: 16 });
  });
});

describe('a body that never ends', () => {
  const plane = cloudPlane('sqlite', { timeouts: { bodyMs: 200 } });

  it('is cut at the body deadline: DeadlineExceeded, the stream closed, nothing written', async () => {
    const before = await hybridDigest(plane);
    const frame = grpcFrame(createEnvironmentBytes(plane.cp.accountId, 'slow'));
    // Resolves on the stream's close (the server's doing: the client never ends it).
    const answer = await rawH2(plane, CREATE_ENVIRONMENT, frame.subarray(0, frame.length - 3), plane.auth(), false);
    expect(answer.grpcStatus).toBe('4');
    expect(answer.grpcMessage).toBe('the request body did not arrive within 200 ms');
    expect(await hybridDigest(plane)).toEqual(before);
  });

  it('is cut on the REST gateway too', async () => {
    const body = `{"accountId":"${plane.cp.accountId}","name":"slow"`;
    const rest = await rawH1(plane, `/api/hybrid/v1/accounts/${plane.cp.accountId}/hybrid-cloud-environments`, body, plane.auth(), false);
    expect(rest.status).toBe(504);
    expect(JSON.parse(rest.text)).toMatchObject({ code: 4, message: 'the request body did not arrive within 200 ms' });
  });
});
