import { create, type DescMessage, type DescMethod } from '@bufbuild/protobuf';
import { ConnectError, createClient, type Client, type Code, type Transport } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { iamV1, qhcV1 } from '@qhc/cloud-api';
import { accountField } from '../../src/cloud/auth.ts';
import type { CloudPlane } from './cloud.ts';

// Keys of chosen roles, made through ManagementKeyRoleService as a client would, and a generic
// gRPC call of any rpc with only its account set.

export const BUILT_IN = ['Owner', 'Admin', 'Editor', 'Viewer', 'Base'] as const;
export type BuiltIn = (typeof BUILT_IN)[number];

export function grpcTransport(plane: CloudPlane): Transport {
  return createGrpcTransport({ baseUrl: plane.cp.url, nodeOptions: { ca: plane.tls!.ca } });
}

export const iamClient = (plane: CloudPlane): Client<typeof iamV1.IAMService> => createClient(iamV1.IAMService, grpcTransport(plane));
export const keyRoleClient = (plane: CloudPlane): Client<typeof qhcV1.ManagementKeyRoleService> =>
  createClient(qhcV1.ManagementKeyRoleService, grpcTransport(plane));

/** The account's role ids by name. */
export async function roleIds(plane: CloudPlane): Promise<Map<string, string>> {
  const roles = await iamClient(plane).listRoles({ accountId: plane.cp.accountId }, { headers: plane.auth() });
  return new Map(roles.items.map((role) => [role.name, role.id]));
}

/** A key holding `roleIds`, made by `makerKey` (default: the operator's Owner key). */
export async function keyWithRoles(plane: CloudPlane, ids: readonly string[], makerKey?: string): Promise<string> {
  const made = await keyRoleClient(plane).createManagementKeyWithRoles({ accountId: plane.cp.accountId, roleIds: [...ids] }, { headers: plane.auth(makerKey) });
  return made.managementKey!.key;
}

/** `{ role: { accountId } }` for the path `role.account_id`: the request's account, wherever the method keeps it. */
function accountInit(desc: DescMessage, path: string, accountId: string): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  const field = desc.fields.find((f) => f.name === head)!;
  if (rest.length === 0) return { [field.localName]: accountId };
  return { [field.localName]: accountInit(field.message!, rest.join('.'), accountId) };
}

/** The code and message a call of `method` with only its account set answers (Code.Ok: it succeeded). */
export async function callWithAccount(transport: Transport, method: DescMethod, accountId: string, key: string): Promise<{ code: Code; message: string }> {
  const path = accountField(method);
  const message = create(method.input, path ? (accountInit(method.input, path, accountId) as never) : {});
  try {
    await transport.unary(method as never, undefined, undefined, { authorization: `apikey ${key}` }, message as never);
    return { code: 0 as Code, message: '' };
  } catch (error) {
    const e = ConnectError.from(error);
    return { code: e.code, message: e.rawMessage };
  }
}
