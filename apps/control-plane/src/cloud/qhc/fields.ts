import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '@qhc/schemas';
import { Code, ConnectError } from '@connectrpc/connect';
import { ApiError } from '../../errors.ts';
import { pageRequest, type PageRequest } from '../../pages.ts';
import { isUuid } from '../auth.ts';

// Reading qhc.v1 request fields: each refusal is InvalidArgument and names the proto field.

export const invalid = (field: string, why: string) => new ConnectError(`${field}: ${why}`, Code.InvalidArgument);

/** A UUID field, lowercased (ids are stored lowercase). */
export function uuidField(field: string, value: string): string {
  if (value === '') throw invalid(field, 'missing');
  if (!isUuid(value)) throw invalid(field, `${JSON.stringify(value.slice(0, 64))} is not a UUID`);
  return value.toLowerCase();
}

/** `page_size` (0: the default) and `page_token` as the repositories' keyset page; `arity`: values in the list's sort key. */
export function pageOf(req: { pageSize: number; pageToken: string }, arity = 1): PageRequest {
  if (req.pageSize < 0 || req.pageSize > MAX_PAGE_LIMIT)
    throw invalid('page_size', `must be between 0 (the default, ${DEFAULT_PAGE_LIMIT}) and ${MAX_PAGE_LIMIT}`);
  try {
    const page = pageRequest(new URLSearchParams(req.pageToken ? { pageToken: req.pageToken } : {}), arity);
    return { ...page, limit: req.pageSize || DEFAULT_PAGE_LIMIT };
  } catch (error) {
    if (error instanceof ApiError) throw invalid('page_token', 'not a page token of this list; pass the next_page_token of the previous page unchanged');
    throw error;
  }
}

/** Roles named in one request at most (an account has at most MAX_CUSTOM_ROLES + the built-in ones anyway). */
export const MAX_ROLE_IDS = 50;

/** A list of role ids (`field[i]` each a UUID), refused past MAX_ROLE_IDS before anything is looked up. */
export function roleIdsField(field: string, ids: readonly string[]): string[] {
  if (ids.length > MAX_ROLE_IDS) throw invalid(field, `${ids.length} role ids; at most ${MAX_ROLE_IDS}`);
  return ids.map((id, i) => uuidField(`${field}[${i}]`, id));
}
