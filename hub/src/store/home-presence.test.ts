import { describe, expect, it } from 'vitest';
import { homeInput } from '@mimamori/contract';
import { openStores } from './stores.js';

const NOW = Date.parse('2026-11-23T09:00:00+09:00');

describe('home presence', () => {
  it('is kept in memory and in the file, and a home made again with a deleted one’s id starts afresh', () => {
    const stores = openStores(':memory:');
    stores.homes.create(homeInput.parse({ id: 'home-1', name: '佐藤さん宅' }), NOW);
    stores.transaction(() => stores.presence.put('home-1', { lastActivityAt: NOW }, NOW));
    expect(stores.presence.lastActivity('home-1')).toBe(NOW);
    expect(stores.db.prepare('SELECT last_activity_at AS at FROM home_presence').get()).toEqual({ at: NOW });

    stores.homes.delete('home-1');
    stores.homes.create(homeInput.parse({ id: 'home-1', name: '佐藤さん宅' }), NOW);
    expect(stores.presence.lastActivity('home-1')).toBeUndefined();
    expect(stores.presence.get('home-1')).toBeUndefined();
    stores.component.stop?.();
  });
});
