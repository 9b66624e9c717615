import type { Device } from '@mimamori/contract';
import { call } from '../api.js';
import { TableHead, useLoad } from '../components/common.js';
import { t } from '../i18n/index.js';
import { ago, when } from '../time.js';

/** How a device stands, worst first: never heard from, offline, then online. */
export type DeviceCondition = 'never' | 'offline' | 'online';

export const conditionOf = (device: Device): DeviceCondition =>
  device.lastSeenAt === null ? 'never' : device.online ? 'online' : 'offline';

/**
 * The ids of a home's devices that need a look, as the hub judges it (never heard from,
 * offline, or at the battery rule's level): the pages highlight what the board lists.
 */
export function useAttention(homeId: string | undefined, deps: readonly unknown[] = []) {
  const { data } = useLoad(
    () => call('GET /api/devices', { query: { ...(homeId && { homeId }), attention: 'true' } }),
    [homeId, ...deps],
  );
  return new Set((data?.items ?? []).map((d) => d.id));
}

/** A device's state in words a person acts on, highlighted when it needs a look. */
export function DeviceState({ device, attention }: { device: Device; attention: boolean }) {
  const condition = conditionOf(device);
  return (
    <span class={`device-state ${condition} ${attention ? 'attention' : ''}`}>
      {condition === 'never'
        ? t('deviceHealth.neverHeard')
        : condition === 'offline'
          ? t('deviceHealth.offline')
          : t('deviceHealth.online')}
      {attention && device.battery !== null && condition === 'online'
        ? `・${t('deviceHealth.lowBattery', { pct: device.battery })}`
        : ''}
    </span>
  );
}

/** The battery as a percentage, or a dash for a mains-powered device. */
export const batteryOf = (device: Device): string =>
  device.battery === null ? t('deviceHealth.noBattery') : `${device.battery}%`;

/** When it was last heard from: 「3時間前（11月23日 9:05）」, or a dash. */
export const lastHeard = (device: Device, zone?: string): string =>
  device.lastSeenAt ? `${ago(device.lastSeenAt)}（${when(device.lastSeenAt, zone)}）` : '—';

/** The headings of a table of devices with their health. */
export const deviceColumns = () => [
  t('devices.kind'),
  t('devices.place'),
  t('deviceHealth.state'),
  t('deviceHealth.battery'),
  t('deviceHealth.lastSeen'),
];

/** A home's devices with their health, those needing a look highlighted (home and resident pages). */
export function DeviceHealthTable({ devices, zone }: { devices: readonly Device[]; zone: string }) {
  const attention = useAttention(devices[0]?.homeId, [devices]);
  return (
    <table class="compact">
      <TableHead columns={deviceColumns()} />
      <tbody>
        {devices.map((d) => (
          <tr key={d.id} class={attention.has(d.id) ? 'attention' : ''}>
            <td>{t(`deviceKind.${d.kind}`)}</td>
            <td>{d.name ?? '—'}</td>
            <td>
              <DeviceState device={d} attention={attention.has(d.id)} />
            </td>
            <td>{batteryOf(d)}</td>
            <td>{lastHeard(d, zone)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
