import type { iamV1 } from '@qhc/cloud-api';
import { accountId } from '../../api.ts';
import { iamApi } from '../../clients.ts';
import { useCan } from '../../components/permissions.tsx';
import { usePoll } from '../../poll.ts';

/** The account's roles (IAMService.ListRoles), polled slowly; none when the caller may not read them. */
export function useRoles(): { roles: iamV1.Role[] | undefined; error: Error | undefined; reload: () => Promise<void> } {
  const readable = useCan('read:roles');
  const { data, error, reload } = usePoll(async () => (readable ? (await iamApi.listRoles({ accountId: accountId() })).items : []), [readable], 10_000);
  return { roles: data, error, reload };
}

/** SYSTEM_ROLE_SUB_TYPE_BASE: every member holds it; it is never assigned or taken away by hand. */
export const isBaseRole = (role: iamV1.Role): boolean => role.subType === 3;
