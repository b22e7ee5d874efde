import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { qhcV1 } from '@qhc/cloud-api';
import type { TokenRow } from '../../repositories/tokens.ts';

// An environment's token as the API shows it (pure): never its secret (only its hash is stored anyway).

const KINDS: Partial<Record<TokenRow['kind'], qhcV1.AgentTokenKind>> = { bootstrap: qhcV1.AgentTokenKind.BOOTSTRAP, agent: qhcV1.AgentTokenKind.AGENT };

const stamp = (iso: string | null) => (iso ? timestampFromDate(new Date(iso)) : undefined);

export function toAgentToken(row: TokenRow): qhcV1.AgentToken {
  return create(qhcV1.AgentTokenSchema, {
    id: row.id,
    kind: KINDS[row.kind] ?? qhcV1.AgentTokenKind.UNSPECIFIED,
    name: row.name,
    createdAt: timestampFromDate(new Date(row.created_at)),
    usedAt: stamp(row.used_at),
    revokedAt: stamp(row.revoked_at),
    expiresAt: stamp(row.expires_at),
  });
}
