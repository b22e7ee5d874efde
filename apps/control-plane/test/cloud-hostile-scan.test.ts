// Hostile request bodies are refused before they are decoded, each naming what was wrong:
// too deep, too many elements, fields the message lacks, wrong wire types, invalid UTF-8.
import { describe, expect, it } from 'vitest';
import { cloudPlane } from './support/cloud.ts';
import { hybridDigest } from './support/hybrid.ts';
import { CREATE_ENVIRONMENT, createEnvironmentBytes, grpcFrame, ld, rawH1, rawH2, repeat } from './support/hostile.ts';

/** google.protobuf.Value nested `depth` times through list_value, around a null. */
function deepValue(depth: number): Buffer {
  let value: Buffer = Buffer.from([0x08, 0x00]);
  for (let i = 0; i < depth; i++) value = ld(6, ld(1, value));
  return value;
}
const struct = (entries: Buffer) => ld(24, entries);
const entry = (key: string, value: Buffer) => ld(1, Buffer.concat([ld(1, key), ld(2, value)]));

describe('binary messages, scanned before decoding', () => {
  const plane = cloudPlane('sqlite');
  const grpc = (message: Buffer) => rawH2(plane, CREATE_ENVIRONMENT, grpcFrame(message), plane.auth());

  it('refuses a message nested too deep, naming where', async () => {
    const before = await hybridDigest(plane);
    const answer = await grpc(createEnvironmentBytes(plane.cp.accountId, 'deep', struct(entry('a', deepValue(2000)))));
    expect(answer.grpcStatus).toBe('3');
    expect(answer.grpcMessage).toMatch(
      /^hybrid_cloud_environment\.configuration\.advanced_operator_settings\.fields\[0\]\.value\.list_value.* nests messages more than 32 levels deep$/,
    );
    expect(await hybridDigest(plane)).toEqual(before);
  });

  it('refuses a message of too many elements (ResourceExhausted)', async () => {
    const wide = struct(repeat(20_000, (i) => entry(`k${i}`, Buffer.from([0x08, 0x00]))));
    const answer = await grpc(createEnvironmentBytes(plane.cp.accountId, 'wide', wide));
    expect(answer.grpcStatus).toBe('8');
    expect(answer.grpcMessage).toMatch(/the request has more than 10000 fields, list items and map entries; send fewer$/);
  });

  it('refuses invalid UTF-8, unknown fields and wrong wire types, naming the field (InvalidArgument, not Internal)', async () => {
    const before = await hybridDigest(plane);
    const utf8 = await grpc(createEnvironmentBytes(plane.cp.accountId, Buffer.from([0x61, 0xff, 0xfe, 0x62])));
    expect([utf8.grpcStatus, utf8.grpcMessage]).toEqual(['3', 'hybrid_cloud_environment.name: is not valid UTF-8']);
    const unknown = await grpc(createEnvironmentBytes(plane.cp.accountId, 'unknown', undefined, Buffer.from([0xf8, 0x07, 0x01])));
    expect(unknown.grpcStatus).toBe('3');
    expect(unknown.grpcMessage).toBe(
      'hybrid_cloud_environment: field number 127 is not a field of qdrant.cloud.hybrid.v1.HybridCloudEnvironment; qhc refuses what it would drop',
    );
    const varintName = ld(1, Buffer.concat([ld(1, plane.cp.accountId), Buffer.from([0x28, 0x05])]));
    const wire = await grpc(varintName);
    expect(wire.grpcStatus).toBe('3');
    expect(wire.grpcMessage).toMatch(/^hybrid_cloud_environment\.name: wire type 0 is not the type of the field/);
    const truncated = await grpc(Buffer.from([0x0a, 0x50, 0x0a]));
    expect(truncated.grpcStatus).toBe('3');
    expect(await hybridDigest(plane)).toEqual(before);
  });

  it('scans a gzip-compressed message after decompressing it', async () => {
    const { gzipSync } = await import('node:zlib');
    const message = gzipSync(createEnvironmentBytes(plane.cp.accountId, Buffer.from([0xff])));
    const frame = grpcFrame(message);
    frame[0] = 1;
    const answer = await rawH2(plane, CREATE_ENVIRONMENT, frame, { ...plane.auth(), 'grpc-encoding': 'gzip' });
    expect([answer.grpcStatus, answer.grpcMessage]).toEqual(['3', 'hybrid_cloud_environment.name: is not valid UTF-8']);
  });
});

describe('Connect JSON, scanned before parsing', () => {
  const plane = cloudPlane('sqlite');
  const json = (body: string) => rawH1(plane, CREATE_ENVIRONMENT, body, plane.auth());
  const env = (configuration: string) =>
    `{"hybridCloudEnvironment":{"accountId":"${plane.cp.accountId}","name":"json","configuration":{"namespace":"qhc"${configuration}}}}`;

  it('refuses a body nested too deep, naming the path', async () => {
    const answer = await json(env(`,"advancedOperatorSettings":{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).message).toMatch(
      /^hybridCloudEnvironment\.configuration\.advancedOperatorSettings\.a\.0\.0.*: the request nests objects or arrays more than 64 levels deep$/,
    );
  });

  it('refuses a body of too many keys', async () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `"k${i}":{}`).join(',');
    const answer = await json(env(`,"advancedOperatorSettings":{${keys}}`));
    expect(answer.status).toBe(429);
    expect(JSON.parse(answer.text)).toMatchObject({ code: 'resource_exhausted' });
    expect(JSON.parse(answer.text).message).toMatch(/holds more than 10000 keys and array items in all$/);
  });

  it('refuses unknown fields and unknown enum names instead of dropping them', async () => {
    const before = await hybridDigest(plane);
    const unknown = await json(env(`,"bogus":1`));
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.text).message).toContain('bogus');
    const level = await json(env(`,"logLevel":"NOPE"`));
    expect(level.status).toBe(400);
    expect(JSON.parse(level.text).message).toBe(
      'hybrid_cloud_environment.configuration.log_level: "NOPE" is not a value of qdrant.cloud.hybrid.v1.HybridCloudEnvironmentConfigurationLogLevel',
    );
    expect(await hybridDigest(plane)).toEqual(before);
  });
});
