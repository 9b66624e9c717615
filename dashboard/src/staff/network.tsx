import type { Network, NetworkTier, UserProfile } from '@mimamori/contract';
import { useState } from 'preact/hooks';
import { ApiError, call } from '../api.js';
import './words.js';
import { Loaded, StatusNote, checkedOf, useLoad, valueOf } from '../components/common.js';
import { Field, useSave } from '../components/fields.js';
import { t } from '../i18n/index.js';
import { HomeSubpage } from './home-subpage.js';
import { PeoplePicker } from './people-picker.js';

type Settings = Pick<
  Network,
  'tiers' | 'criticalStartTier' | 'criticalTiersAtOnce' | 'ackReminderMinutes' | 'announceOnAck'
>;
type Tier = Settings['tiers'][number];

/** What a home without a network starts from: one tier, nothing else set (the hub's defaults apply). */
const FRESH: Settings = {
  tiers: [{ name: '', watchers: [], webhooks: [], ackTimeoutMinutes: 15 }],
  criticalStartTier: 1,
  criticalTiersAtOnce: 2,
  ackReminderMinutes: 60,
  announceOnAck: false,
};

/** The network page of a home. */
export function NetworkPage({ id }: { id: string }) {
  return (
    <HomeSubpage id={id} title={t('network.title')}>
      {(h) => <NetworkEditor homeId={h.id} />}
    </HomeSubpage>
  );
}

/**
 * A home's watch-over network with every setting the API has (issue 19 item 4). Saving sends
 * only what was changed (PATCH), so a setting this page did not touch keeps its value; a home
 * without a network gets one whole (PUT). Watchers are found by name and added with a button.
 */
export function NetworkEditor({ homeId, onSaved }: { homeId: string; onSaved?: (network: Network) => void }) {
  const loaded = useLoad(
    () =>
      Promise.all([
        call('GET /api/homes/:id/network', { params: { id: homeId } }).catch((e: unknown) => {
          if (e instanceof ApiError && e.status === 404) return undefined;
          throw e;
        }),
        call('GET /api/users').then((r) => r.items.filter((u) => u.active)),
        call('GET /api/webhooks').then((r) => r.items.map((w) => w.name)),
      ]),
    [homeId],
  );
  // The form starts afresh from what was saved; the confirmation outlives it.
  const [note, setNote] = useState<string | undefined>(undefined);
  return (
    <Loaded data={loaded.data} error={loaded.error}>
      {([network, users, webhooks]) => (
        <>
          <SettingsForm
            key={network?.updatedAt ?? 'new'}
            homeId={homeId}
            stored={network}
            users={users}
            webhooks={webhooks}
            onSaved={(saved) => {
              setNote(t('network.saved'));
              void loaded.reload();
              onSaved?.(saved);
            }}
          />
          <StatusNote text={note} />
        </>
      )}
    </Loaded>
  );
}

function SettingsForm({
  homeId,
  stored,
  users,
  webhooks,
  onSaved,
}: {
  homeId: string;
  stored: Network | undefined;
  users: UserProfile[];
  webhooks: string[];
  onSaved: (network: Network) => void;
}) {
  const initial: Settings = stored ?? FRESH;
  const [settings, setSettings] = useState<Settings>(initial);
  const [reason, setReason] = useState('');
  const save = useSave();
  const set = (patch: Partial<Settings>) => setSettings((s) => ({ ...s, ...patch }));
  const setTier = (index: number, patch: Partial<Tier>) =>
    set({ tiers: settings.tiers.map((tier, i) => (i === index ? { ...tier, ...patch } : tier)) });

  const submit = async (event: Event) => {
    event.preventDefault();
    const tiers = settings.tiers.map(toInput);
    const changed = (Object.keys(settings) as (keyof Settings)[]).filter(
      (key) => JSON.stringify(settings[key]) !== JSON.stringify(initial[key]),
    );
    const saved = await save.run(
      () =>
        stored
          ? call('PATCH /api/homes/:id/network', {
              params: { id: homeId },
              body: {
                reason,
                ...Object.fromEntries(changed.map((key) => [key, key === 'tiers' ? tiers : settings[key]])),
              },
            })
          : call('PUT /api/homes/:id/network', { params: { id: homeId }, body: { ...settings, tiers, reason } }),
      '',
    );
    if (saved) onSaved(saved);
  };
  const error = (path: string) => save.fields[`body.${path}`];
  const count = settings.tiers.length;
  return (
    <form class="stack network" onSubmit={submit}>
      <p>{t('network.lead')}</p>
      {settings.tiers.map((tier, index) => (
        <fieldset key={index} class="tier">
          <legend>{t('network.tier', { n: index + 1 })}</legend>
          <Field label={t('network.tierName')} error={error(`tiers.${index}.name`)}>
            <input value={tier.name} onInput={(e) => setTier(index, { name: valueOf(e) })} required maxLength={100} />
          </Field>
          <PeoplePicker
            label={t('network.watchers')}
            users={users}
            chosen={tier.watchers}
            onChange={(watchers) => setTier(index, { watchers })}
            error={error(`tiers.${index}`) ?? error('tiers')}
          />
          {webhooks.length > 0 && (
            <fieldset>
              <legend>{t('network.webhooks')}</legend>
              {webhooks.map((name) => (
                <label class="choice" key={name}>
                  <input
                    type="checkbox"
                    checked={tier.webhooks.includes(name)}
                    onChange={(e) =>
                      setTier(index, {
                        webhooks: checkedOf(e) ? [...tier.webhooks, name] : tier.webhooks.filter((w) => w !== name),
                      })
                    }
                  />{' '}
                  {name}
                </label>
              ))}
            </fieldset>
          )}
          <Field label={t('network.ackTimeout')} error={error(`tiers.${index}.ackTimeoutMinutes`)}>
            <input
              type="number"
              min={1}
              max={1440}
              value={tier.ackTimeoutMinutes}
              onInput={(e) => setTier(index, { ackTimeoutMinutes: Number(valueOf(e)) })}
            />
          </Field>
          <HoursField
            tier={tier}
            onChange={(hours) => setTier(index, { hours })}
            error={error(`tiers.${index}.hours.from`) ?? error(`tiers.${index}.hours.to`)}
          />
          {count > 1 && (
            <button
              type="button"
              class="link"
              onClick={() => set({ tiers: settings.tiers.filter((_, i) => i !== index) })}
            >
              {t('network.removeTier')}
            </button>
          )}
        </fieldset>
      ))}
      {count < 6 && (
        <button
          type="button"
          class="secondary"
          onClick={() =>
            set({ tiers: [...settings.tiers, { name: '', watchers: [], webhooks: [], ackTimeoutMinutes: 30 }] })
          }
        >
          {t('network.addTier')}
        </button>
      )}
      <fieldset>
        <legend>{t('network.critical')}</legend>
        <Field label={t('network.criticalStart')} error={error('criticalStartTier')}>
          <select value={settings.criticalStartTier} onChange={(e) => set({ criticalStartTier: Number(valueOf(e)) })}>
            {settings.tiers.map((_, i) => (
              <option key={i} value={i + 1}>
                {t('network.tier', { n: i + 1 })}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('network.criticalAtOnce')} error={error('criticalTiersAtOnce')}>
          <input
            type="number"
            min={1}
            max={6}
            value={settings.criticalTiersAtOnce}
            onInput={(e) => set({ criticalTiersAtOnce: Number(valueOf(e)) })}
          />
        </Field>
      </fieldset>
      <Field label={t('network.ackReminder')} hint={t('network.ackReminderHelp')} error={error('ackReminderMinutes')}>
        <input
          type="number"
          min={5}
          max={1440}
          value={settings.ackReminderMinutes}
          onInput={(e) => set({ ackReminderMinutes: Number(valueOf(e)) })}
        />
      </Field>
      <label class="choice">
        <input
          type="checkbox"
          checked={settings.announceOnAck}
          onChange={(e) => set({ announceOnAck: checkedOf(e) })}
        />{' '}
        {t('network.announce')}
      </label>
      <Field label={t('network.reason')} error={error('reason')}>
        <input value={reason} onInput={(e) => setReason(valueOf(e))} required maxLength={500} />
      </Field>
      {save.submit()}
    </form>
  );
}

/** A tier's reachable hours: all day, or from one local time to another (may cross midnight). */
function HoursField({
  tier,
  onChange,
  error,
}: {
  tier: Tier;
  onChange: (hours: Tier['hours']) => void;
  error: string | undefined;
}) {
  const hours = tier.hours;
  return (
    <fieldset class="hours">
      <legend>{t('network.hours')}</legend>
      <label class="choice">
        <input
          type="checkbox"
          checked={hours !== undefined}
          onChange={(e) => onChange(checkedOf(e) ? { from: '09:00', to: '17:00' } : undefined)}
        />{' '}
        {t('network.limitHours')}
      </label>
      {hours ? (
        <div class="row">
          <label class="inline">
            <input type="time" required value={hours.from} onInput={(e) => onChange({ ...hours, from: valueOf(e) })} />{' '}
            {t('network.hoursFrom')}
          </label>
          <label class="inline">
            <input type="time" required value={hours.to} onInput={(e) => onChange({ ...hours, to: valueOf(e) })} />{' '}
            {t('network.hoursTo')}
          </label>
        </div>
      ) : (
        <p class="muted">{t('network.hoursAllDay')}</p>
      )}
      {error && (
        <span class="field-error" role="alert">
          {error}
        </span>
      )}
    </fieldset>
  );
}

/** A tier as the API takes it: hours only when they are limited. */
const toInput = (tier: Tier): NetworkTier => ({
  name: tier.name,
  watchers: tier.watchers,
  webhooks: tier.webhooks,
  ackTimeoutMinutes: tier.ackTimeoutMinutes,
  ...(tier.hours && { hours: tier.hours }),
});
