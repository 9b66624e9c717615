import type { AuditEntry } from '@mimamori/contract';
import { useState } from 'preact/hooks';
import { call } from '../api.js';
import './words.js';
import { Loaded, checkedOf, useLoad } from '../components/common.js';
import { Field, text } from '../components/fields.js';
import { t } from '../i18n/index.js';
import { jaStaff } from '../i18n/ja-staff.js';
import { browserZone, instantOf, when } from '../time.js';

type Filter = { homeId?: string; actor?: string; action?: string; from?: string; to?: string };

/** A routine read (home.view, alerts.list…): folded together so the changes stand out. */
const isView = (entry: AuditEntry) => /\.(view|list|overview)$/.test(entry.action);

/**
 * Who saw or changed what, newest first (issue 19 item 9): filtered by home, person, action and
 * date; each change shows the reason and outcome recorded with it; runs of routine views can be
 * folded into one line.
 */
export function AuditPage() {
  const [filter, setFilter] = useState<Filter>({});
  const [fold, setFold] = useState(true);
  const entries = useLoad(
    () => call('GET /api/audit', { query: { ...filter, limit: 300 } }).then((r) => r.items),
    [filter],
  );
  const homes = useLoad(() => call('GET /api/homes').then((r) => new Map(r.items.map((h) => [h.id, h.name]))), []);
  const apply = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const from = text(form, 'from');
    const to = text(form, 'to');
    setFilter({
      ...Object.fromEntries(
        ['homeId', 'actor', 'action'].flatMap((name) => (text(form, name) ? [[name, text(form, name)]] : [])),
      ),
      ...(from && { from: instantOf(from, '00:00', browserZone) }),
      ...(to && { to: instantOf(to, '23:59', browserZone) }),
    });
  };
  return (
    <section class="stack">
      <h1>{t('audit.title')}</h1>
      <form class="row filters" onSubmit={apply}>
        <Field label={t('audit.home')} inline>
          <select name="homeId">
            <option value="">{t('board.all')}</option>
            {[...(homes.data ?? new Map<string, string>())].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('audit.actor')} inline>
          <input name="actor" maxLength={128} />
        </Field>
        <Field label={t('audit.action')} inline>
          <input name="action" maxLength={64} placeholder="network." />
        </Field>
        <Field label={t('audit.from')} inline>
          <input name="from" type="date" />
        </Field>
        <Field label={t('audit.to')} inline>
          <input name="to" type="date" />
        </Field>
        <button class="secondary" type="submit">
          {t('audit.filter')}
        </button>
      </form>
      <label class="choice">
        <input type="checkbox" checked={fold} onChange={(e) => setFold(checkedOf(e))} /> {t('audit.foldViews')}
      </label>
      <Loaded data={entries.data} error={entries.error}>
        {(items) => (
          <table class="compact audit">
            <thead>
              <tr>
                <th scope="col">{t('audit.at')}</th>
                <th scope="col">{t('audit.actor')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.home')}</th>
                <th scope="col">{t('audit.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {rowsOf(items, fold).map((row) =>
                'folded' in row ? (
                  <tr key={`fold-${row.first.id}`} class="folded">
                    <td>{when(row.first.at)}</td>
                    <td>{row.first.actor}</td>
                    <td colSpan={3}>{t('audit.folded', { count: row.folded })}</td>
                  </tr>
                ) : (
                  <tr key={row.id}>
                    <td>{when(row.at)}</td>
                    <td>{row.actor}</td>
                    <td>{actionName(row.action)}</td>
                    <td>{row.homeId ? (homes.data?.get(row.homeId) ?? row.homeId) : ''}</td>
                    <td>{detailOf(row)}</td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        )}
      </Loaded>
    </section>
  );
}

/** Entries with each run of one person's routine views folded into a line, when folding. */
function rowsOf(entries: AuditEntry[], fold: boolean): (AuditEntry | { first: AuditEntry; folded: number })[] {
  if (!fold) return entries;
  const rows: (AuditEntry | { first: AuditEntry; folded: number })[] = [];
  for (const entry of entries) {
    const last = rows[rows.length - 1];
    if (isView(entry) && last && 'folded' in last && last.first.actor === entry.actor) last.folded += 1;
    else rows.push(isView(entry) ? { first: entry, folded: 1 } : entry);
  }
  return rows;
}

const REASONS = new Set(['hospital', 'trip', 'day_service', 'family', 'other']);

/** An action in words: 「見守りネットワークの変更」; one the catalogue does not know, as its code. */
export const actionName = (action: string): string => {
  const key = action.replaceAll('.', '_');
  return key in jaStaff.audit.actions ? t(`audit.actions.${key as keyof typeof jaStaff.audit.actions}`) : action;
};

/** The reason and outcome recorded with a change, when it ends and what it changed, then anything else. */
function detailOf(entry: AuditEntry): string {
  const { reason, outcome, endsAt, fields, ...rest } = (entry.detail ?? {}) as Record<string, unknown>;
  const absenceReason = entry.action.startsWith('absence.') && typeof reason === 'string' && REASONS.has(reason);
  return [
    typeof reason === 'string' &&
      t('audit.reason', { reason: absenceReason ? t(`absenceReason.${reason as 'other'}`) : reason }),
    typeof outcome === 'string' && t('audit.outcome', { outcome: t(`outcome.${outcome as 'fine'}`) }),
    typeof endsAt === 'string' && t('audit.until', { at: when(endsAt) }),
    Array.isArray(fields) && t('audit.fields', { fields: fields.join(', ') }),
    Object.keys(rest).length > 0 && JSON.stringify(rest),
  ]
    .filter(Boolean)
    .join('　');
}
