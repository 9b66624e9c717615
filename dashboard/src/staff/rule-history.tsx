import type { Home, Rule, RuleTypeInfo } from '@mimamori/contract';
import { useState } from 'preact/hooks';
import { call } from '../api.js';
import { Loaded, useLoad, valueOf } from '../components/common.js';
import { Field, useSave } from '../components/fields.js';
import { inLang, t } from '../i18n/index.js';
import { when } from '../time.js';
import { ParamFields, readParams } from './param-fields.js';

/** A rule's versions, newest first, each with who changed it, when and why; any older one can be restored. */
export function Versions({ rule, onChanged }: { rule: Rule; onChanged: (note: string) => void }) {
  const versions = useLoad(
    () => call('GET /api/rules/:id/versions', { params: { id: rule.id } }).then((r) => r.items),
    [rule.id, rule.version],
  );
  const [restoring, setRestoring] = useState<number | undefined>(undefined);
  const save = useSave();
  const rollback = async (event: Event) => {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget as HTMLFormElement).get('reason') ?? '');
    const version = restoring;
    if (version === undefined) return;
    const done = await save.run(
      () => call('POST /api/rules/:id/rollback', { params: { id: rule.id }, body: { version, reason } }),
      '',
    );
    if (done) onChanged(t('rules.rolledBack', { version }));
  };
  return (
    <section class="stack">
      <h3>{t('rules.versions')}</h3>
      <Loaded data={versions.data} error={versions.error}>
        {(items) => (
          <ul class="plain versions">
            {items.map((v) => (
              <li key={v.version}>
                <strong>{t('rules.version', { version: v.version })}</strong> {when(v.changedAt)} {v.changedBy}:{' '}
                {v.reason}
                {v.version !== rule.version &&
                  (restoring === v.version ? (
                    <form class="row" onSubmit={rollback}>
                      <Field label={t('rules.rollbackReason')} inline error={save.fields['body.reason']}>
                        <input name="reason" required minLength={3} maxLength={500} />
                      </Field>
                      <button class="primary" type="submit" disabled={save.busy}>
                        {t('rules.rollback')}
                      </button>
                      <button class="link" type="button" onClick={() => setRestoring(undefined)}>
                        {t('app.cancel')}
                      </button>
                    </form>
                  ) : (
                    <>
                      {' '}
                      <button type="button" class="link" onClick={() => setRestoring(v.version)}>
                        {t('rules.rollback')}
                      </button>
                    </>
                  ))}
              </li>
            ))}
          </ul>
        )}
      </Loaded>
      {save.outcome}
    </section>
  );
}

/** Per-home settings of a rule: switched on or off for one home, or other values of some parameters there. */
export function Overrides({
  rule,
  info,
  homes,
  onChanged,
}: {
  rule: Rule;
  info: RuleTypeInfo;
  homes: Home[];
  onChanged: (note: string) => void;
}) {
  const names = new Map(homes.map((h) => [h.id, h.name]));
  const save = useSave();
  const [homeId, setHomeId] = useState('');
  const add = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const enabled = String(form.get('enabled'));
    const done = await save.run(
      () =>
        call('PUT /api/rules/:id/overrides/:homeId', {
          params: { id: rule.id, homeId },
          body: {
            ...(enabled !== 'inherit' && { enabled: enabled === 'on' }),
            params: readParams(info, form, { differingFrom: rule.params }),
            reason: String(form.get('reason') ?? ''),
          },
        }),
      '',
    );
    if (done) onChanged(t('app.saved'));
  };
  const remove = async (home: string) => {
    const reason = prompt(t('rules.reason'));
    if (!reason) return;
    const done = await save.run(
      () =>
        call('DELETE /api/rules/:id/overrides/:homeId', { params: { id: rule.id, homeId: home }, query: { reason } }),
      '',
    );
    if (done) onChanged(t('app.saved'));
  };
  return (
    <section class="stack">
      <h3>{t('rules.overrides')}</h3>
      {rule.overrides.length === 0 ? (
        <p class="muted">{t('rules.noOverrides')}</p>
      ) : (
        <ul class="plain">
          {rule.overrides.map((o) => (
            <li key={o.homeId}>
              {names.get(o.homeId) ?? o.homeId}:{' '}
              {o.enabled === null
                ? t('rules.overrideInherit')
                : o.enabled
                  ? t('rules.overrideOn')
                  : t('rules.overrideOff')}
              {Object.entries(o.params).map(([name, value]) => {
                const text = info.fields[name];
                return `・${text ? inLang(text.label) : name} ${String(value)}${text?.unit ? inLang(text.unit) : ''}`;
              })}{' '}
              <button type="button" class="link" onClick={() => void remove(o.homeId)}>
                {t('rules.removeOverride')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="stack" onSubmit={add}>
        <h4>{t('rules.addOverride')}</h4>
        <Field label={t('rules.overrideHome')}>
          <select value={homeId} onChange={(e) => setHomeId(valueOf(e))} required>
            <option value="" disabled>
              —
            </option>
            {homes.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('rules.overrideEnabled')}>
          <select name="enabled">
            <option value="inherit" selected>
              {t('rules.overrideInherit')}
            </option>
            <option value="on">{t('rules.overrideOn')}</option>
            <option value="off">{t('rules.overrideOff')}</option>
          </select>
        </Field>
        {homeId && <ParamFields info={info} values={rule.params} errors={save.fields} />}
        <Field label={t('rules.reason')} error={save.fields['body.reason']}>
          <input name="reason" required minLength={3} maxLength={500} />
        </Field>
        {save.outcome}
        <button type="submit" class="secondary" disabled={save.busy || !homeId}>
          {t('rules.addOverride')}
        </button>
      </form>
    </section>
  );
}
