// A call whose credential cannot be looked up because of the server (its database failing, as
// during a PostgreSQL restart) is not a refused stranger: the server reads its body and answers
// on a connection it keeps, so that a client still sending gets the error, not a broken pipe
// (`write EPIPE`). A refused credential still closes the connection unread.
import { describe, expect, it } from 'vitest';
import { HYBRID, connect } from './support/accounts.ts';
import { cloudPlane } from './support/cloud.ts';
import { sqlOn } from './support/sql.ts';

describe('a credential the server failed to look up', () => {
  const plane = cloudPlane('sqlite', { https: false });
  const list = (headers: Record<string, string>) => connect(plane, HYBRID, 'ListHybridCloudEnvironments', { accountId: plane.cp.accountId }, headers);

  it('answers the failure after reading the body, keeping the connection', async () => {
    const sql = sqlOn(plane.cp.store.db);
    await sql.run('ALTER TABLE management_keys RENAME TO management_keys_away');
    try {
      const failed = await list(plane.auth());
      expect([failed.status, failed.json?.code, failed.headers.get('connection')]).toEqual([500, 'internal', 'keep-alive']);
    } finally {
      await sql.run('ALTER TABLE management_keys_away RENAME TO management_keys');
    }
    expect((await list(plane.auth())).status).toBe(200);
  });

  it('closes the connection unread for an unknown key', async () => {
    const refused = await list({ authorization: 'apikey qhc_m_unknown-key-000000000000000000' });
    expect([refused.status, refused.json?.code, refused.headers.get('connection')]).toEqual([401, 'unauthenticated', 'close']);
  });
});
