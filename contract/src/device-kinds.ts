import { z } from 'zod';
import type { DeviceEventBody, EventType } from './events.js';

export interface DeviceKindMeaning {
  /** 人感センサー, shown in the dashboard and the set-up card. */
  label: { ja: string; en: string };
  powerSource: 'mains' | 'battery';
  /**
   * Holds its connection and reports all the time (a speaker, a gateway), so a short silence
   * means it is gone; other devices report on change and may sleep for hours.
   */
  reportsContinuously: boolean;
  /** Its silence means the home cannot be watched for activity. */
  watchesActivity: boolean;
  /**
   * Heard from only when a person uses it (an Echo, through the Alexa skill): its silence says
   * nothing about whether it works, so no silence limit applies; it is offline when it says so.
   */
  heardOnlyWhenUsed?: true;
  /** The event types a device of this kind publishes (every device may send a heartbeat). */
  emits: readonly EventType[];
  /**
   * How its Zigbee2MQTT state (one object with every attribute it reports) reads as an event,
   * or undefined when the state carries none of the kind's attributes (then it only shows the
   * device is alive). Kinds that are never Zigbee devices have none.
   */
  fromZigbee2Mqtt?: (state: Record<string, unknown>) => DeviceEventBody | undefined;
}

/**
 * What each device kind is: the one owner of that knowledge. Which devices watch activity, how
 * long a silence may last, what a kind sends and how a Zigbee2MQTT state becomes an event are all
 * read from here; adding a kind is one entry (the compiler then points at every table that must
 * say something about it).
 */
export const DEVICE_KINDS = {
  speaker: {
    label: { ja: 'スマートスピーカー', en: 'Smart speaker' },
    powerSource: 'mains',
    reportsContinuously: true,
    watchesActivity: false,
    emits: ['checkin', 'sos', 'heartbeat'],
  },
  motion: {
    label: { ja: '人感センサー', en: 'Motion sensor' },
    powerSource: 'battery',
    reportsContinuously: false,
    watchesActivity: true,
    emits: ['motion', 'heartbeat'],
    fromZigbee2Mqtt: (state) =>
      typeof state.occupancy === 'boolean' ? { type: 'motion', occupied: state.occupancy } : undefined,
  },
  door: {
    label: { ja: 'ドアセンサー', en: 'Door sensor' },
    powerSource: 'battery',
    reportsContinuously: false,
    watchesActivity: true,
    emits: ['door', 'heartbeat'],
    // Zigbee2MQTT's `contact: true` means the magnet touches: the door is closed.
    fromZigbee2Mqtt: (state) =>
      typeof state.contact === 'boolean' ? { type: 'door', open: !state.contact } : undefined,
  },
  environment: {
    label: { ja: '温湿度計', en: 'Temperature and humidity sensor' },
    powerSource: 'battery',
    reportsContinuously: false,
    watchesActivity: false,
    emits: ['environment', 'heartbeat'],
    fromZigbee2Mqtt: (state) =>
      typeof state.temperature === 'number' || typeof state.humidity === 'number'
        ? {
            type: 'environment',
            ...(typeof state.temperature === 'number' && { temperatureC: state.temperature }),
            ...(typeof state.humidity === 'number' && { humidityPct: state.humidity }),
          }
        : undefined,
  },
  power: {
    label: { ja: '電力計', en: 'Power meter' },
    powerSource: 'mains',
    // Smart plugs and meters report when the load changes: a steady load may be quiet for hours.
    reportsContinuously: false,
    watchesActivity: true,
    emits: ['power', 'heartbeat'],
    fromZigbee2Mqtt: (state) =>
      typeof state.power === 'number' && state.power >= 0 ? { type: 'power', watts: state.power } : undefined,
  },
  sos_button: {
    label: { ja: '緊急ボタン', en: 'SOS button' },
    powerSource: 'battery',
    reportsContinuously: false,
    watchesActivity: false,
    emits: ['sos', 'heartbeat'],
  },
  gateway: {
    label: { ja: 'Zigbeeゲートウェイ', en: 'Zigbee gateway' },
    powerSource: 'mains',
    reportsContinuously: true,
    watchesActivity: false,
    emits: ['heartbeat'],
  },
  // An Echo paired to the home through the Alexa skill (docs/alexa.md); it speaks only when
  // the resident opens the skill, and says it is gone when the skill is disabled.
  alexa: {
    label: { ja: 'Alexa（Amazon Echo）', en: 'Alexa (Amazon Echo)' },
    powerSource: 'mains',
    reportsContinuously: false,
    watchesActivity: false,
    heardOnlyWhenUsed: true,
    emits: ['checkin', 'sos', 'heartbeat'],
  },
} as const satisfies Record<string, DeviceKindMeaning>;

export type DeviceKind = keyof typeof DEVICE_KINDS;
export const DEVICE_KIND_NAMES = Object.keys(DEVICE_KINDS) as [DeviceKind, ...DeviceKind[]];
export const deviceKind = z.enum(DEVICE_KIND_NAMES);

/** The meaning of a kind, typed as the interface (the table itself keeps its literal types). */
export const deviceKindMeaning = (kind: DeviceKind): DeviceKindMeaning => DEVICE_KINDS[kind];

/** Kinds whose silence means the home cannot be watched for activity. */
export const ACTIVITY_SENSOR_KINDS: ReadonlySet<DeviceKind> = new Set(
  DEVICE_KIND_NAMES.filter((kind) => deviceKindMeaning(kind).watchesActivity),
);
