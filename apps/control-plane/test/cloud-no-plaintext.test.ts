// Every secret a person or a client hands the control plane, or it hands out, in one run: a
// sign-up's password and session, a password sign-in's session, a management key, an OIDC
// provider's client secret and an SSO session, a registry password. Afterwards no column of any
// table holds any of them, nor their base64 (the scan is shown to find a planted one elsewhere:
// test/secrets-at-rest.test.ts). Database API keys are scanned there too, over gRPC.
import { describe, expect, it } from 'vitest';
import { MANAGEMENT_KEY, cloudPlane, type Dialect } from './support/cloud.ts';
import { AUTH, connect, HYBRID, PASSWORD, signUp } from './support/accounts.ts';
import { ADA } from './support/oidc-users.ts';
import { scanForPlaintext } from './support/secrets.ts';
import { configureProvider, rpc, signInThroughProvider } from './support/sso.ts';

const sessionSecret = (headers: Record<string, string>) => headers.cookie!.slice('qhc_cloud_session='.length);

describe.each(['sqlite', 'postgres'] as const)('no plaintext secret in the database on %s', (dialect: Dialect) => {
  const plane = cloudPlane(dialect, { https: false, autoApproveAccounts: true });

  it('after sign-up, sign-ins, a key, an OIDC provider, an SSO sign-in and registry credentials', async () => {
    const secrets: string[] = [PASSWORD, MANAGEMENT_KEY];
    const person = await signUp(plane, 'grace@example.com');
    secrets.push(sessionSecret(person.headers), person.headers['x-csrf-token']!);
    const signIn = await rpc(plane, 'qhc.v1.SessionService/SignInWithPassword', { email: 'grace@example.com', password: PASSWORD });
    expect(signIn.status).toBe(200);
    secrets.push(signIn.headers.get('set-cookie')!.split(';')[0]!.slice('qhc_cloud_session='.length));
    const key = await connect(plane, AUTH, 'CreateManagementKey', { managementKey: { accountId: person.accountId } }, person.headers);
    expect(key.status, key.text).toBe(200);
    secrets.push(key.json.managementKey.key);
    const { provider } = await configureProvider(plane, 'Hydra');
    secrets.push(provider.clientSecret as string);
    const sso = await signInThroughProvider(plane, provider.id as string, ADA);
    expect(sso.answer.status).toBe(303);
    secrets.push(sso.secret!);
    const env = await connect(
      plane,
      HYBRID,
      'CreateHybridCloudEnvironment',
      { hybridCloudEnvironment: { accountId: person.accountId, name: 'prod', configuration: { namespace: 'qhc' } } },
      person.headers,
    );
    expect(env.status, env.text).toBe(200);
    const registryPassword = 'registry-password-that-must-not-be-stored';
    const credentials = await connect(
      plane,
      'qhc.v1.EnvironmentAgentService',
      'SetRegistryCredentials',
      { accountId: person.accountId, hybridCloudEnvironmentId: env.json.hybridCloudEnvironment.id, username: 'robot', password: registryPassword },
      person.headers,
    );
    expect(credentials.status, credentials.text).toBe(200);
    secrets.push(registryPassword);
    expect(await scanForPlaintext(plane.cp.store.db, secrets)).toEqual([]);
  });
});
