import { createHash } from 'node:crypto';
import type { Role, User } from '@mimamori/contract';
import type { Db } from './database.js';
import { insertWithId, newId } from './ids.js';

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
}

const toUser = (r: UserRow): User => ({ id: r.id, username: r.username, displayName: r.display_name, role: r.role });
/** Session tokens are random 256-bit values; only their hash is stored, so a copied database opens no session. */
const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export class UserRepository {
  constructor(private readonly db: Db) {}

  create(input: { username: string; displayName: string; role: Role; passwordHash: string }, now: number): User {
    const id = newId('u');
    insertWithId(id, () =>
      this.db
        .prepare('INSERT INTO users (id, username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, input.username, input.displayName, input.role, input.passwordHash, now),
    );
    return toUser(this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow);
  }

  /** The user and their stored password hash, for login. */
  findForLogin(username: string): { user: User; passwordHash: string } | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
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
         WHERE sessions.token_hash = ? AND sessions.expires_at > ?`,
      )
      .get(hashToken(token), now) as UserRow | undefined;
    return row && toUser(row);
  }

  deleteSession(token: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(hashToken(token));
  }
}
