import type { Device, DeviceCredentials, DeviceKind, Home } from '@mimamori/contract';
import { useState } from 'preact/hooks';
import { call } from '../api.js';
import './words.js';
import { ErrorNote, Loaded, TableHead, useLoad } from '../components/common.js';
import { Field, text, useSave } from '../components/fields.js';
import { t } from '../i18n/index.js';
import { jaEnums } from '../i18n/ja-enums.js';
import { CredentialsPanel } from './credentials.js';
import { batteryOf, deviceColumns, DeviceState, lastHeard, useAttention } from './device-state.js';
import { EchoPairing } from './echos.js';
import { HomeSubpage } from './home-subpage.js';

// An Echo is not registered here: it becomes a device of the home when the resident says its pairing code.
const KINDS = (Object.keys(jaEnums.deviceKind) as DeviceKind[]).filter((kind) => kind !== 'alexa');
/** Kinds a Zigbee gateway can stand in for: their messages arrive through it, by a friendly name. */
const ZIGBEE_KINDS = new Set<DeviceKind>(['motion', 'door', 'environment', 'power', 'sos_button']);

/** The devices page of a home: its devices with their state, credentials, and adding one. */
export function DevicesPage({ id }: { id: string }) {
  return (
    <HomeSubpage id={id} title={t('devices.title')}>
      {(h) => <DevicesEditor home={h} />}
    </HomeSubpage>
  );
}

/**
 * A home's devices: each with its state and last message, its credentials issued (or re-issued,
 * with the warning that the old secret stops working) and shown once; and a form to add one.
 */
export function DevicesEditor({ home, onChanged }: { home: Home; onChanged?: (devices: Device[]) => void }) {
  const devices = useLoad(async () => {
    const answer = await call('GET /api/devices', { query: { homeId: home.id } });
    onChanged?.(answer.items);
    return answer.items;
  }, [home.id]);
  const attention = useAttention(home.id, [devices.data]);
  const [shown, setShown] = useState<{ device: Device; credentials: DeviceCredentials } | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);

  const issue = async (device: Device) => {
    if (device.hasCredentials && !confirm(t('devices.reissueWarning'))) return;
    try {
      setError(undefined);
      const credentials = await call('POST /api/devices/:id/credentials', { params: { id: device.id } });
      setShown({ device, credentials });
      void devices.reload();
    } catch (e) {
      setError(e);
    }
  };
  const remove = async (device: Device) => {
    if (!confirm(t('devices.removeConfirm', { name: device.name ?? t(`deviceKind.${device.kind}`) }))) return;
    try {
      // An Echo is unpaired (audited, and the skill then asks for a new code).
      if (device.kind === 'alexa')
        await call('DELETE /api/homes/:id/alexa/echos/:deviceId', { params: { id: home.id, deviceId: device.id } });
      else await call('DELETE /api/devices/:id', { params: { id: device.id } });
      void devices.reload();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div class="stack">
      {shown && (
        <CredentialsPanel
          home={home}
          device={shown.device}
          credentials={shown.credentials}
          onClose={() => setShown(undefined)}
        />
      )}
      <ErrorNote error={error} />
      <Loaded data={devices.data} error={devices.error}>
        {(items) =>
          items.length === 0 ? (
            <p class="muted">{t('devices.none')}</p>
          ) : (
            <table class="compact devices">
              <TableHead columns={deviceColumns()} actions />
              <tbody>
                {items.map((device) => (
                  <tr key={device.id} data-device={device.id}>
                    <td>{t(`deviceKind.${device.kind}`)}</td>
                    <td>
                      {device.name ?? '—'}
                      {device.z2mName && (
                        <span class="muted">
                          （{t('devices.viaGateway')}: {device.z2mName}）
                        </span>
                      )}
                    </td>
                    <td>
                      <DeviceState device={device} attention={attention.has(device.id)} />
                    </td>
                    <td>{batteryOf(device)}</td>
                    <td>{lastHeard(device, home.timezone)}</td>
                    <td class="actions">
                      {!device.z2mName && device.kind !== 'alexa' && (
                        <button type="button" class="secondary" onClick={() => void issue(device)}>
                          {device.hasCredentials ? t('devices.reissue') : t('devices.issue')}
                        </button>
                      )}
                      <button type="button" class="link" onClick={() => void remove(device)}>
                        {t('devices.remove')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
      {devices.data?.some((d) => d.hasCredentials && d.lastSeenAt === null) && (
        <p class="caution">{t('devices.neverHeardWarning')}</p>
      )}
      <AddDevice
        homeId={home.id}
        hasGateway={devices.data?.some((d) => d.kind === 'gateway') ?? false}
        onAdded={() => void devices.reload()}
      />
      <EchoPairing home={home} onChanged={() => void devices.reload()} />
    </div>
  );
}

function AddDevice({ homeId, hasGateway, onAdded }: { homeId: string; hasGateway: boolean; onAdded: () => void }) {
  const save = useSave();
  const [kind, setKind] = useState<DeviceKind>('speaker');
  const submit = async (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const name = text(form, 'name');
    const z2mName = text(form, 'z2mName');
    const added = await save.run(
      () => call('POST /api/devices', { body: { homeId, kind, ...(name && { name }), ...(z2mName && { z2mName }) } }),
      t('devices.added'),
    );
    if (added) {
      formElement.reset();
      onAdded();
    }
  };
  return (
    <form class="stack add-device" onSubmit={submit}>
      <h2>{t('devices.add')}</h2>
      <Field label={t('devices.kind')}>
        <select
          name="kind"
          value={kind}
          onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as DeviceKind)}
        >
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`deviceKind.${k}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('devices.name')} error={save.fields['body.name']}>
        <input name="name" maxLength={200} />
      </Field>
      {hasGateway && ZIGBEE_KINDS.has(kind) && (
        <Field
          label={t('devices.z2mName') + t('app.optional')}
          hint={t('devices.z2mHelp')}
          error={save.fields['body.z2mName']}
        >
          <input name="z2mName" maxLength={100} />
        </Field>
      )}
      {save.submit(t('devices.add'), 'secondary')}
    </form>
  );
}
