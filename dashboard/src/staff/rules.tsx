import type { Home, Rule, RuleTypeInfo, Severity } from '@mimamori/contract';
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api.js';
import './words.js';
import { ErrorNote, Loaded, StatusNote, checkedOf, useLoad, valueOf } from '../components/common.js';
import { Field, useSave } from '../components/fields.js';
import { inLang, t } from '../i18n/index.js';
import { BacktestPanel } from './backtest.js';
import { ParamFields, readParams } from './param-fields.js';
import { useRuleTypes } from './rule-names.js';
import { Overrides, Versions } from './rule-history.js';

const SEVERITIES: Severity[] = ['critical', 'warning', 'info'];

/** Rules: the list, and one rule's settings as a form, its backtest, per-home settings and versions. */
export function RulesPage({ id }: { id?: string }) {
  const rules = useLoad(() => call('GET /api/rules').then((r) => r.items), []);
  const types = useRuleTypes();
  const homes = useLoad(() => call('GET /api/homes').then((r) => r.items), []);
  const selected = rules.data?.find((r) => r.id === id);
  // What the last change did, kept here: the editor starts afresh from each new version.
  const [note, setNote] = useState<string | undefined>(undefined);
  useEffect(() => setNote(undefined), [id]);
  const nameOf = (rule: Rule) => {
    const type = types.data?.get(rule.type);
    return type ? inLang(type.name) : rule.type;
  };
  return (
    <section class="split">
      <nav class="rule-list" aria-label={t('rules.title')}>
        <h1>{t('rules.title')}</h1>
        <Loaded data={rules.data} error={rules.error}>
          {(items) => (
            <ul class="plain">
              {items.map((r) => (
                <li key={r.id}>
                  <a href={`/rules/${encodeURIComponent(r.id)}`} aria-current={r.id === id ? 'page' : undefined}>
                    {nameOf(r)}
                  </a>
                  <span class="muted">
                    {' '}
                    {r.id}・{r.enabled ? t('rules.enabled') : t('rules.disabled')}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Loaded>
      </nav>
      {selected && types.data?.get(selected.type) && homes.data && (
        <div class="stack">
          <StatusNote text={note} />
          <RuleEditor
            key={`${selected.id}-${selected.version}`}
            rule={selected}
            info={types.data.get(selected.type) as RuleTypeInfo}
            homes={homes.data}
            onSaved={(text) => {
              setNote(text);
              void rules.reload();
            }}
          />
        </div>
      )}
    </section>
  );
}

function RuleEditor({
  rule,
  info,
  homes,
  onSaved,
}: {
  rule: Rule;
  info: RuleTypeInfo;
  homes: Home[];
  onSaved: (note: string) => void;
}) {
  const save = useSave();
  const [hours, setHours] = useState(rule.activeHours);
  const [scope, setScope] = useState(rule.scope);
  const [form, setForm] = useState<HTMLFormElement | null>(null);
  const labelOf = (field: string) => {
    const name = field.replace(/^body\.params\./, '');
    const text = info.fields[name];
    return text ? `${inLang(text.label)}（${name}）` : undefined;
  };
  const publish = async (event: Event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const updated = await save.run(
      () =>
        call('PATCH /api/rules/:id', {
          params: { id: rule.id },
          body: {
            enabled: data.has('enabled'),
            severity: data.get('severity') as Severity,
            params: readParams(info, data),
            activeHours: hours,
            scope,
            reason: String(data.get('reason') ?? ''),
          },
        }),
      '',
    );
    if (updated) onSaved(t('rules.published', { version: updated.version }));
  };
  return (
    <div class="stack rule-editor">
      <h2>
        {inLang(info.name)}{' '}
        <span class="muted">
          （{rule.id}・{t('rules.version', { version: rule.version })}）
        </span>
      </h2>
      <p>{inLang(info.summary)}</p>
      {(info.learned || info.pausedByAbsence) && (
        <p class="muted">
          {info.learned && t('rules.learned')}
          {info.pausedByAbsence && t('rules.pausedByAbsence')}
        </p>
      )}
      <form class="stack" onSubmit={publish} ref={setForm}>
        <label class="choice">
          <input type="checkbox" name="enabled" defaultChecked={rule.enabled} /> {t('rules.enabled')}
        </label>
        <Field label={t('rules.severity')}>
          <select name="severity">
            {SEVERITIES.map((s) => (
              <option key={s} value={s} selected={s === rule.severity}>
                {t(`severity.${s}`)}
              </option>
            ))}
          </select>
        </Field>
        <fieldset>
          <legend>{t('rules.activeHours')}</legend>
          <label class="choice">
            <input
              type="checkbox"
              checked={hours !== null}
              onChange={(e) => setHours(checkedOf(e) ? { from: '07:00', to: '21:00' } : null)}
            />{' '}
            {t('network.limitHours')}
          </label>
          {hours ? (
            <div class="row">
              <Field label={t('rules.from')} inline error={save.fields['body.activeHours.from']}>
                <input type="time" value={hours.from} onInput={(e) => setHours({ ...hours, from: valueOf(e) })} />
              </Field>
              <Field label={t('rules.to')} inline error={save.fields['body.activeHours']}>
                <input type="time" value={hours.to} onInput={(e) => setHours({ ...hours, to: valueOf(e) })} />
              </Field>
            </div>
          ) : (
            <p class="muted">{t('rules.allDay')}</p>
          )}
        </fieldset>
        <ScopeField scope={scope} homes={homes} onChange={setScope} />
        <fieldset>
          <legend>{t('rules.params')}</legend>
          <ParamFields info={info} values={rule.params} errors={save.fields} />
        </fieldset>
        <BacktestPanel
          rule={rule}
          homes={homes}
          proposal={() => (form ? readParams(info, new FormData(form)) : {})}
          labelOf={labelOf}
        />
        <Field label={t('rules.reason')} error={save.fields['body.reason']}>
          <input name="reason" required minLength={3} maxLength={500} />
        </Field>
        <ErrorNote error={save.error} labelOf={labelOf} />
        <button class="primary" type="submit" disabled={save.busy}>
          {t('rules.publish')}
        </button>
      </form>
      <Overrides rule={rule} info={info} homes={homes} onChanged={onSaved} />
      <Versions rule={rule} onChanged={onSaved} />
    </div>
  );
}

/** Which homes the rule watches: all, some districts, or homes chosen by name. */
function ScopeField({
  scope,
  homes,
  onChange,
}: {
  scope: Rule['scope'];
  homes: Home[];
  onChange: (scope: Rule['scope']) => void;
}) {
  const districts = [...new Set(homes.map((h) => h.district).filter((d): d is string => Boolean(d)))].sort();
  return (
    <fieldset>
      <legend>{t('rules.scope')}</legend>
      {(['all', 'districts', 'homes'] as const).map((kind) => (
        <label class="choice" key={kind}>
          <input
            type="radio"
            name="scope"
            checked={scope.kind === kind}
            onChange={() =>
              onChange(
                kind === 'all'
                  ? { kind }
                  : kind === 'districts'
                    ? { kind, districts: districts.slice(0, 1) }
                    : { kind, homeIds: homes.slice(0, 1).map((h) => h.id) },
              )
            }
          />{' '}
          {t(kind === 'all' ? 'rules.scopeAll' : kind === 'districts' ? 'rules.scopeDistricts' : 'rules.scopeHomes')}
        </label>
      ))}
      {scope.kind === 'districts' && (
        <Choices
          options={districts.map((d) => [d, d])}
          chosen={scope.districts}
          onChange={(chosen) => onChange({ kind: 'districts', districts: chosen })}
        />
      )}
      {scope.kind === 'homes' && (
        <Choices
          options={homes.map((h) => [h.id, h.name])}
          chosen={scope.homeIds}
          onChange={(chosen) => onChange({ kind: 'homes', homeIds: chosen })}
        />
      )}
    </fieldset>
  );
}

function Choices({
  options,
  chosen,
  onChange,
}: {
  options: [string, string][];
  chosen: readonly string[];
  onChange: (chosen: string[]) => void;
}) {
  return (
    <div class="choices">
      {options.map(([value, label]) => (
        <label class="choice" key={value}>
          <input
            type="checkbox"
            checked={chosen.includes(value)}
            onChange={(e) => onChange(checkedOf(e) ? [...chosen, value] : chosen.filter((c) => c !== value))}
          />{' '}
          {label}
        </label>
      ))}
    </div>
  );
}
