// qhc's own package qhc.v1: the routes and options the console and the CLI call, so a renamed rpc or a
// moved route fails here rather than in a browser.
import { getOption, hasOption } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { commonV1, qhcV1 } from '../src/index.ts';
import { checkFields, checkService, methodOf, type RouteRow } from './descriptor-check.ts';

const ENV = '/api/qhc/v1/accounts/{account_id}/hybrid-cloud-environments/{hybrid_cloud_environment_id}';

const sessionRoutes: RouteRow[] = [
  ['CreateSession', 'post', '/api/qhc/v1/session', '-'],
  ['GetSession', 'get', '/api/qhc/v1/session', '-'],
  ['DeleteSession', 'delete', '/api/qhc/v1/session', '-'],
  ['SignInWithPassword', 'post', '/api/qhc/v1/session/password', ''],
  ['ListMyAccounts', 'get', '/api/qhc/v1/session/accounts', ''],
  ['SwitchAccount', 'post', '/api/qhc/v1/session/account', ''],
];

const environmentRoutes: RouteRow[] = [
  ['GetEnvironmentVersions', 'get', `${ENV}/versions`, 'read:hybrid_cloud_environments'],
  ['UpdateEnvironmentVersions', 'put', `${ENV}/versions`, 'write:hybrid_cloud_environments'],
  ['CreateInstallation', 'post', `${ENV}/installation`, 'write:hybrid_cloud_environments'],
  ['ListAgentTokens', 'get', `${ENV}/agent-tokens`, 'read:hybrid_cloud_environments'],
  ['RevokeAgentToken', 'delete', `${ENV}/agent-tokens/{agent_token_id}`, 'write:hybrid_cloud_environments'],
  ['GetEnvironmentHealth', 'get', `${ENV}/health`, 'read:hybrid_cloud_environments'],
  ['GetRegistryCredentials', 'get', `${ENV}/registry-credentials`, 'read:hybrid_cloud_environments'],
  ['SetRegistryCredentials', 'put', `${ENV}/registry-credentials`, 'write:hybrid_cloud_environments'],
  ['DeleteRegistryCredentials', 'delete', `${ENV}/registry-credentials`, 'write:hybrid_cloud_environments'],
];

describe('qhc.v1.SessionService', () => {
  checkService(qhcV1.SessionService, 'qhc.v1.SessionService', sessionRoutes);
  it('signing in and reading the session need no management key; none is scoped to an account', () => {
    for (const rpc of ['CreateSession', 'GetSession', 'SignInWithPassword'])
      expect(getOption(methodOf(qhcV1.SessionService, rpc), commonV1.requires_authentication)).toBe(false);
    for (const rpc of ['ListMyAccounts', 'SwitchAccount']) expect(hasOption(methodOf(qhcV1.SessionService, rpc), commonV1.requires_authentication)).toBe(false);
    expect(hasOption(methodOf(qhcV1.SessionService, 'DeleteSession'), commonV1.requires_authentication)).toBe(false);
    for (const method of qhcV1.SessionService.methods) expect(getOption(method, commonV1.account_id_expression)).toBe('');
  });
  checkFields(qhcV1.file_qhc_v1_session, [
    ['CreateSessionRequest', 'management_key', 1, 'string'],
    ['Session', 'account_id', 1, 'string'],
    ['Session', 'csrf_token', 2, 'string'],
    ['Session', 'expires_at', 3, 'google.protobuf.Timestamp'],
    ['Session', 'management_key_id', 4, 'string'],
    ['Session', 'user_id', 5, 'string'],
    ['Session', 'user_email', 6, 'string'],
    ['Session', 'instance_admin', 7, 'bool'],
    ['Session', 'account_name', 8, 'string'],
    ['SignInWithPasswordRequest', 'account_id', 3, 'optional string'],
    ['MyAccount', 'status', 3, 'qhc.v1.AccountStatus'],
    ['SwitchAccountRequest', 'account_id', 1, 'string'],
  ]);
});

describe('qhc.v1.EnvironmentAgentService', () => {
  checkService(qhcV1.EnvironmentAgentService, 'qhc.v1.EnvironmentAgentService', environmentRoutes);
  checkFields(qhcV1.file_qhc_v1_environment_agent, [
    ['UpdateEnvironmentVersionsRequest', 'agent_version', 3, 'optional string'],
    ['UpdateEnvironmentVersionsRequest', 'operator_version', 4, 'optional string'],
    ['EnvironmentVersions', 'available_versions', 3, 'repeated string'],
    ['Installation', 'helm_values', 8, 'google.protobuf.Struct'],
    ['AgentToken', 'kind', 2, 'qhc.v1.AgentTokenKind'],
    ['SetRegistryCredentialsRequest', 'password', 4, 'string'],
    ['RegistryCredentials', 'username', 1, 'string'],
  ]);
});

describe('qhc.v1.ClusterEventService', () => {
  checkService(qhcV1.ClusterEventService, 'qhc.v1.ClusterEventService', [
    ['ListClusterEvents', 'get', '/api/qhc/v1/accounts/{account_id}/clusters/{cluster_id}/events', 'read:clusters'],
  ]);
  checkFields(qhcV1.file_qhc_v1_cluster_event, [
    ['ListClusterEventsRequest', 'page_size', 3, 'int32'],
    ['ListClusterEventsRequest', 'page_token', 4, 'string'],
    ['ListClusterEventsResponse', 'next_page_token', 2, 'string'],
  ]);
});
