// Management keys (AuthService) and their roles (qhc.v1 ManagementKeyRoleService). A new key is
// shown once: to stdout only, the warning to stderr, so `qhc key create > file` keeps just the key.
import { fromJson } from '@bufbuild/protobuf';
import { authV1 } from '@qhc/cloud-api';
import type { CloudApi } from '../cloud.ts';
import { confirmOrExit } from '../confirm.ts';
import { checkFormat, age, type Column } from '../output.ts';
import { cloudApi, type Global } from './region.ts';
import { listRoles, roleIdsOf } from './role-cloud.ts';
import { findByRef, showMessages, type Row } from './rows.ts';

const keys = async (api: CloudApi) => (await api.call('ListManagementKeys', () => api.auth.listManagementKeys({ accountId: api.accountId }))).items;

/** Each key's role names, for the table (-o json|yaml prints AuthService's keys as they are). */
async function roleNamesOf(api: CloudApi, list: authV1.ManagementKey[]): Promise<Map<string, string>> {
  const names = new Map((await listRoles(api)).map((r) => [r.id, r.name]));
  const entries = await Promise.all(
    list.map(async (k) => {
      const { roleIds } = await api.call('ListManagementKeyRoles', () =>
        api.keyRoles.listManagementKeyRoles({ accountId: api.accountId, managementKeyId: k.id }),
      );
      return [k.id, roleIds.map((id) => names.get(id) ?? id).join(',')] as const;
    }),
  );
  return new Map(entries);
}

export async function keyList(g: Global): Promise<void> {
  const api = cloudApi(g);
  const list = await keys(api);
  const table = ['table', 'wide'].includes(checkFormat(g.output));
  const roles = table ? await roleNamesOf(api, list) : new Map<string, string>();
  const columns: Column<Row>[] = [
    { header: 'id', value: (r) => r.id },
    { header: 'prefix', value: (r) => r.prefix as string },
    { header: 'roles', value: (r) => roles.get(String(r.id)) || undefined },
    { header: 'age', value: (r) => age(r.createdAt) },
  ];
  await showMessages(authV1.ManagementKeySchema, list, { columns, kind: 'key', name: (r) => String(r.id) }, g);
}

/** With --role, a key of those roles (never more than the caller's own permissions); without, the caller's roles. */
export async function keyCreate(options: { role?: string[] }, g: Global): Promise<void> {
  const api = cloudApi(g);
  const created = options.role?.length
    ? await api.call('CreateManagementKeyWithRoles', async () =>
        api.keyRoles.createManagementKeyWithRoles({ accountId: api.accountId, roleIds: await roleIdsOf(api, options.role) }),
      )
    : await api.call('CreateManagementKey', () =>
        api.auth.createManagementKey({ managementKey: fromJson(authV1.ManagementKeySchema, { accountId: api.accountId }) }),
      );
  const key = created.managementKey!;
  process.stderr.write(`management key ${key.id} (prefix ${key.prefix}) created: it is shown this once, store it now\n`);
  const format = checkFormat(g.output);
  if (format === 'json' || format === 'yaml') return showMessages(authV1.ManagementKeySchema, key, { columns: [], kind: 'key' }, g);
  process.stdout.write(`${key.key}\n`);
}

export async function keyDelete(ref: string, options: { yes?: boolean }, g: Global): Promise<void> {
  const api = cloudApi(g);
  const key = findByRef(await keys(api), ref, { id: (k) => k.id, names: (k) => [k.prefix] }, 'management key', 'qhc key list');
  await confirmOrExit(`Delete management key ${key.id} (${key.prefix})?`, options);
  await api.call('DeleteManagementKey', () => api.auth.deleteManagementKey({ accountId: api.accountId, managementKeyId: key.id }));
  process.stderr.write(`management key ${key.id} deleted\n`);
}
