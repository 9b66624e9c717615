import type { CheckinScheduleInput } from '@mimamori/contract';
import type { Db } from './database.js';
import { newId } from './ids.js';

/** A schedule as stored: the validated input plus where it belongs. */
export interface StoredSchedule {
  id: string;
  residentId: string;
  homeId: string;
  spec: CheckinScheduleInput;
  createdAt: number;
  updatedAt: number;
}

interface ScheduleRow {
  id: string;
  resident_id: string;
  home_id: string;
  spec: string;
  created_at: number;
  updated_at: number;
}

const toSchedule = (r: ScheduleRow): StoredSchedule => ({
  id: r.id,
  residentId: r.resident_id,
  homeId: r.home_id,
  spec: JSON.parse(r.spec) as CheckinScheduleInput,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Check-in schedules per resident; the spec is kept as one JSON column of a validated shape. */
export class CheckinScheduleRepository {
  constructor(private readonly db: Db) {}

  create(residentId: string, homeId: string, spec: CheckinScheduleInput, now: number): StoredSchedule {
    const id = newId('cs');
    this.db
      .prepare(
        'INSERT INTO checkin_schedules (id, resident_id, home_id, spec, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(id, residentId, homeId, JSON.stringify(spec), now, now);
    return this.get(id) as StoredSchedule;
  }

  get(id: string): StoredSchedule | undefined {
    const row = this.db.prepare('SELECT * FROM checkin_schedules WHERE id = ?').get(id) as ScheduleRow | undefined;
    return row && toSchedule(row);
  }

  listForResident(residentId: string): StoredSchedule[] {
    const rows = this.db
      .prepare('SELECT * FROM checkin_schedules WHERE resident_id = ? ORDER BY created_at, id')
      .all(residentId);
    return (rows as ScheduleRow[]).map(toSchedule);
  }

  /** Every resident's schedules, each resident's as `listForResident` orders them: one read for a whole list of statuses. */
  listByResident(): Map<string, StoredSchedule[]> {
    const rows = this.db.prepare('SELECT * FROM checkin_schedules ORDER BY resident_id, created_at, id').all();
    return Map.groupBy((rows as ScheduleRow[]).map(toSchedule), (s) => s.residentId);
  }

  list(): StoredSchedule[] {
    return (this.db.prepare('SELECT * FROM checkin_schedules ORDER BY id').all() as ScheduleRow[]).map(toSchedule);
  }

  replaceSpec(id: string, spec: CheckinScheduleInput, now: number): StoredSchedule | undefined {
    this.db
      .prepare('UPDATE checkin_schedules SET spec = ?, updated_at = ? WHERE id = ?')
      .run(JSON.stringify(spec), now, id);
    return this.get(id);
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM checkin_schedules WHERE id = ?').run(id).changes > 0;
  }
}
