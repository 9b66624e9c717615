import { EMPTY_PLAN, NO_CONSENT, type Consent, type ResponsePlan } from '@mimamori/contract';
import type { Home, HomeInput, HomeUpdate, Resident, ResidentInput, ResidentUpdate } from '@mimamori/contract';
import type { Db } from './database.js';
import { insertWithId, newId } from './ids.js';
import { iso } from './rows.js';

interface HomeRow {
  id: string;
  name: string;
  address: string | null;
  district: string | null;
  timezone: string;
  consent: string | null;
  response_plan: string | null;
  created_at: number;
  updated_at: number;
}
interface ResidentRow {
  id: string;
  home_id: string;
  name: string;
  reading: string | null;
  language: 'ja' | 'en';
  miss_tolerance: number;
  created_at: number;
}

const toHome = (r: HomeRow): Home => ({
  id: r.id,
  name: r.name,
  address: r.address,
  district: r.district,
  timezone: r.timezone,
  // Homes created before consent was recorded have none: the emergency minimum only.
  consent: r.consent === null ? NO_CONSENT : (JSON.parse(r.consent) as Consent),
  responsePlan: r.response_plan === null ? EMPTY_PLAN : (JSON.parse(r.response_plan) as ResponsePlan),
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});
const toResident = (r: ResidentRow): Resident => ({
  id: r.id,
  homeId: r.home_id,
  name: r.name,
  reading: r.reading,
  language: r.language,
  missTolerance: r.miss_tolerance,
  createdAt: iso(r.created_at),
});

/** Homes and their residents. Ids are unique across the hub; a taken id throws `IdTakenError`. */
export class HomeRepository {
  constructor(
    private readonly db: Db,
    /** Told of a deleted home, whose rows elsewhere went with it (ON DELETE CASCADE). */
    private readonly onDeleted: (id: string) => void = () => {},
  ) {}

  create(input: HomeInput, now: number): Home {
    const id = input.id ?? newId('h');
    insertWithId(id, () =>
      this.db
        .prepare(
          `INSERT INTO homes (id, name, address, district, timezone, consent, response_plan, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          input.name,
          input.address ?? null,
          input.district ?? null,
          input.timezone,
          JSON.stringify(input.consent),
          JSON.stringify(input.responsePlan),
          now,
          now,
        ),
    );
    return this.get(id) as Home;
  }

  get(id: string): Home | undefined {
    const row = this.db.prepare('SELECT * FROM homes WHERE id = ?').get(id) as HomeRow | undefined;
    return row && toHome(row);
  }

  list(): Home[] {
    return (this.db.prepare('SELECT * FROM homes ORDER BY id').all() as HomeRow[]).map(toHome);
  }

  update(id: string, change: HomeUpdate, now: number): Home | undefined {
    const current = this.get(id);
    if (!current) return undefined;
    this.db
      .prepare(
        'UPDATE homes SET name = ?, address = ?, district = ?, timezone = ?, consent = ?, response_plan = ?, updated_at = ? WHERE id = ?',
      )
      .run(
        change.name ?? current.name,
        change.address === undefined ? current.address : change.address,
        change.district === undefined ? current.district : change.district,
        change.timezone ?? current.timezone,
        JSON.stringify(change.consent ?? current.consent),
        JSON.stringify(change.responsePlan ?? current.responsePlan),
        now,
        id,
      );
    return this.get(id);
  }

  /** Deletes the home with its residents, devices and alerts; false when there was none. */
  delete(id: string): boolean {
    const deleted = this.db.prepare('DELETE FROM homes WHERE id = ?').run(id).changes > 0;
    if (deleted) this.onDeleted(id);
    return deleted;
  }

  addResident(homeId: string, input: ResidentInput, now: number): Resident {
    const id = input.id ?? newId('r');
    insertWithId(id, () =>
      this.db
        .prepare(
          'INSERT INTO residents (id, home_id, name, reading, language, miss_tolerance, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(id, homeId, input.name, input.reading ?? null, input.language, input.missTolerance, now),
    );
    return this.getResident(id) as Resident;
  }

  getResident(id: string): Resident | undefined {
    const row = this.db.prepare('SELECT * FROM residents WHERE id = ?').get(id) as ResidentRow | undefined;
    return row && toResident(row);
  }

  listResidents(homeId: string): Resident[] {
    const rows = this.db.prepare('SELECT * FROM residents WHERE home_id = ? ORDER BY id').all(homeId) as ResidentRow[];
    return rows.map(toResident);
  }

  /** The residents of every home, by home and then id. */
  listAllResidents(): Resident[] {
    return (this.db.prepare('SELECT * FROM residents ORDER BY home_id, id').all() as ResidentRow[]).map(toResident);
  }

  updateResident(id: string, change: ResidentUpdate): Resident | undefined {
    const current = this.getResident(id);
    if (!current) return undefined;
    this.db.prepare('UPDATE residents SET name = ?, reading = ?, language = ?, miss_tolerance = ? WHERE id = ?').run(
      change.name ?? current.name,
      // undefined keeps the reading, null removes it.
      change.reading === undefined ? current.reading : change.reading,
      change.language ?? current.language,
      change.missTolerance ?? current.missTolerance,
      id,
    );
    return this.getResident(id);
  }

  deleteResident(id: string): boolean {
    return this.db.prepare('DELETE FROM residents WHERE id = ?').run(id).changes > 0;
  }
}
