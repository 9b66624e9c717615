import type { Network, NetworkInput } from '@mimamori/contract';
import type { Db } from './database.js';
import { iso } from './rows.js';

/** The network as stored: the validated input without the change reason (that goes to the audit log). */
export type StoredNetwork = Omit<NetworkInput, 'reason'>;

/**
 * Each home's watch-over network, and an index of who is in which home's network: the
 * homes a volunteer may see are exactly the rows here.
 */
export class NetworkRepository {
  constructor(private readonly db: Db) {}

  get(homeId: string): Network | undefined {
    const row = this.db.prepare('SELECT * FROM networks WHERE home_id = ?').get(homeId) as
      { home_id: string; config: string; updated_at: number; updated_by: string } | undefined;
    return (
      row && {
        homeId: row.home_id,
        ...(JSON.parse(row.config) as StoredNetwork),
        updatedAt: iso(row.updated_at),
        updatedBy: row.updated_by,
      }
    );
  }

  /** Replaces the home's network and its member index together. */
  put(homeId: string, network: StoredNetwork, by: string, now: number): Network {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO networks (home_id, config, updated_at, updated_by) VALUES (?, ?, ?, ?)
           ON CONFLICT (home_id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        )
        .run(homeId, JSON.stringify(network), now, by);
      this.db.prepare('DELETE FROM network_members WHERE home_id = ?').run(homeId);
      const member = this.db.prepare('INSERT OR IGNORE INTO network_members (home_id, tier, user_id) VALUES (?, ?, ?)');
      network.tiers.forEach((tier, index) => tier.watchers.forEach((userId) => member.run(homeId, index, userId)));
    })();
    return this.get(homeId) as Network;
  }

  /** The homes whose network lists this user, each with the tiers (from 1) that list them. */
  tiersOf(userId: string): Map<string, number[]> {
    const rows = this.db
      .prepare('SELECT home_id, tier FROM network_members WHERE user_id = ? ORDER BY home_id, tier')
      .all(userId) as { home_id: string; tier: number }[];
    const byHome = Map.groupBy(rows, (r) => r.home_id);
    return new Map([...byHome].map(([homeId, own]) => [homeId, own.map((r) => r.tier + 1)]));
  }

  isMember(homeId: string, userId: string): boolean {
    return (
      this.db.prepare('SELECT 1 FROM network_members WHERE home_id = ? AND user_id = ? LIMIT 1').get(homeId, userId) !==
      undefined
    );
  }
}
