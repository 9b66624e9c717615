import { afterEach, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../testing/test-core.js';

/**
 * A view of personal data is recorded in the audit log before its data leaves the hub: the
 * views of one turn share a commit, and the response waits for it (issue 21).
 */
let hub: TestCore | undefined;
afterEach(async () => {
  await hub?.stop();
  hub = undefined;
});

async function homeWithResident() {
  hub = await startTestCore();
  const api = await hub.client();
  await api('POST', '/api/homes', { id: 'home-1', name: '佐藤さん宅' });
  await api('POST', '/api/homes/home-1/residents', { id: 'r1', name: '佐藤 ハナ' });
  const views = () =>
    hub?.stores.audit.list({ homeId: 'home-1', limit: 100 }).filter((e) => e.action === 'residents.view');
  return { hub, api, views };
}

describe('views of personal data', () => {
  it('are in the audit log, chained, when their responses arrive, many views sharing one commit', async () => {
    const { hub: core, api, views } = await homeWithResident();
    const responses = await Promise.all(Array.from({ length: 20 }, () => api('GET', '/api/homes/home-1/residents')));
    expect(responses.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 200));
    expect(JSON.stringify(responses[0]?.body)).toContain('佐藤 ハナ');
    expect(views()).toHaveLength(20);
    expect(core.stores.audit.verify()).toMatchObject({ brokenAt: undefined });
  });

  it('are refused, their data not sent, when their audit rows cannot be stored', async () => {
    const { hub: core, api, views } = await homeWithResident();
    // What a full disk does to the audit insert, caused in the file itself.
    core.stores.db.exec(
      `CREATE TRIGGER audit_fails BEFORE INSERT ON audit_log WHEN NEW.action = 'residents.view'
       BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`,
    );
    const refused = await api('GET', '/api/homes/home-1/residents');
    expect(refused.status).toBe(500);
    expect(JSON.stringify(refused.body)).not.toContain('佐藤 ハナ');
    expect(views()).toEqual([]);
  });
});
