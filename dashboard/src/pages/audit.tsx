import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry } from '@mimamori/contract';
import { call } from '../api.js';
import { t, when } from '../i18n.js';

/** Who saw or changed what, newest first (admins). */
export function AuditPage() {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  useEffect(() => void call('GET /api/audit', { query: { limit: 300 } }).then((r) => setEntries(r.items)), []);
  return (
    <section>
      <h1>{t('audit')}</h1>
      <table class="compact">
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>{when(e.at)}</td>
              <td>{e.actor}</td>
              <td>{e.action}</td>
              <td>{e.homeId ?? ''}</td>
              <td>{e.subject ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
