import { createHash } from 'node:crypto';
import type { Language, PushSubscriptionInput, Role, User, UserProfile } from '@mimamori/contract';
import type { Db } from './database.js';
import { insertWithId, newId } from './ids.js';

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  email: string | null;
  phone: string | null;
  language: Language;
  affiliation: string | null;
  active: number;
}

/** How to reach a watcher: their e-mail and every browser that subscribed to Web Push. */
export interface Contact {
  user: UserProfile;
  push: PushSubscriptionInput[];
}

type ProfileRow = UserRow & { push_subscriptions: number };
const toUser = (r: UserRow): User => ({ id: r.id, username: r.username, displayName: r.display_name, role: r.role });
const toProfile = (r: ProfileRow): UserProfile => ({
  ...toUser(r),
  email: r.email,
  phone: r.phone,
  language: r.language,
  affiliation: r.affiliation,
  active: r.active === 1,
  pushSubscriptions: r.push_subscriptions,
});
/** Users with how many browsers each has subscribed to Web Push. */
const SELECT_PROFILE =
  'SELECT users.*, (SELECT COUNT(*) FROM push_subscriptions p WHERE p.user_id = users.id) AS push_subscriptions FROM users';
/** Session tokens are random 256-bit values; only their hash is stored, so a copied database opens no session. */
const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export class UserRepository {
  constructor(private readonly db: Db) {}

  create(
    input: {
      username: string;
      displayName: string;
      role: Role;
      passwordHash: string;
      email?: string | undefined;
      phone?: string | undefined;
      language?: Language;
      affiliation?: string | undefined;
    },
    now: number,
  ): UserProfile {
    const id = newId('u');
    insertWithId(id, () =>
      this.db
        .prepare(
          `INSERT INTO users (id, username, display_name, role, password_hash, email, phone, language, affiliation, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          input.username,
          input.displayName,
          input.role,
          input.passwordHash,
          input.email ?? null,
          input.phone ?? null,
          input.language ?? 'ja',
          input.affiliation ?? null,
          now,
        ),
    );
    return this.get(id) as UserProfile;
  }

  get(id: string): UserProfile | undefined {
    const row = this.db.prepare(`${SELECT_PROFILE} WHERE id = ?`).get(id) as ProfileRow | undefined;
    return row && toProfile(row);
  }

  byUsername(username: string): UserProfile | undefined {
    const row = this.db.prepare(`${SELECT_PROFILE} WHERE username = ?`).get(username) as ProfileRow | undefined;
    return row && toProfile(row);
  }

  list(): UserProfile[] {
    return (this.db.prepare(`${SELECT_PROFILE} ORDER BY username`).all() as ProfileRow[]).map(toProfile);
  }

  /** Changes a user; deactivating one also ends their sessions. */
  update(
    id: string,
    change: {
      displayName?: string | undefined;
      passwordHash?: string | undefined;
      email?: string | null | undefined;
      phone?: string | null | undefined;
      language?: Language | undefined;
      affiliation?: string | null | undefined;
      active?: boolean | undefined;
    },
  ): UserProfile | undefined {
    const current = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    if (!current) return undefined;
    this.db
      .prepare(
        'UPDATE users SET display_name = ?, password_hash = ?, email = ?, phone = ?, language = ?, affiliation = ?, active = ? WHERE id = ?',
      )
      .run(
        change.displayName ?? current.display_name,
        change.passwordHash ?? current.password_hash,
        change.email === undefined ? current.email : change.email,
        change.phone === undefined ? current.phone : change.phone,
        change.language ?? current.language,
        change.affiliation === undefined ? current.affiliation : change.affiliation,
        change.active === undefined ? current.active : Number(change.active),
        id,
      );
    if (change.active === false || change.passwordHash)
      this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(id);
    return this.get(id);
  }

  /** An active user's contact details, for notifications; undefined for unknown or deactivated users. */
  contact(id: string): Contact | undefined {
    const user = this.get(id);
    if (!user?.active) return undefined;
    const push = this.db.prepare('SELECT endpoint, p256dh, auth FROM push_subscriptions WHERE user_id = ?').all(id) as {
      endpoint: string;
      p256dh: string;
      auth: string;
    }[];
    return { user, push: push.map((p) => ({ endpoint: p.endpoint, keys: { p256dh: p.p256dh, auth: p.auth } })) };
  }

  /** Registers a browser for Web Push; the same endpoint moves to whoever subscribed it last. */
  addPushSubscription(userId: string, subscription: PushSubscriptionInput, now: number): void {
    this.db
      .prepare(
        `INSERT INTO push_subscriptions (endpoint, user_id, p256dh, auth, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth`,
      )
      .run(subscription.endpoint, userId, subscription.keys.p256dh, subscription.keys.auth, now);
  }

  /** Forgets a subscription the push service says is gone (404/410), or one its user removed. */
  removePushSubscription(endpoint: string, userId?: string): boolean {
    return (
      this.db
        .prepare('DELETE FROM push_subscriptions WHERE endpoint = ? AND (? IS NULL OR user_id = ?)')
        .run(endpoint, userId ?? null, userId ?? null).changes > 0
    );
  }

  /** The user and their stored password hash, for login; a deactivated user cannot log in. */
  findForLogin(username: string): { user: User; passwordHash: string } | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE username = ? AND active = 1').get(username) as
      UserRow | undefined;
    return row && { user: toUser(row), passwordHash: row.password_hash };
  }

  createSession(userId: string, token: string, now: number, ttlMs: number): void {
    this.db
      .prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(hashToken(token), userId, now, now + ttlMs);
  }

  /** The user of an unexpired session, or undefined. */
  sessionUser(token: string, now: number): User | undefined {
    const row = this.db
      .prepare(
        `SELECT users.* FROM sessions JOIN users ON users.id = sessions.user_id
         WHERE sessions.token_hash = ? AND sessions.expires_at > ? AND users.active = 1`,
      )
      .get(hashToken(token), now) as UserRow | undefined;
    return row && toUser(row);
  }

  /** Ends every session of a user (a new password, a deactivation). */
  deleteSessionsOf(userId: string): void {
    this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
  }

  deleteSession(token: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(hashToken(token));
  }
}
