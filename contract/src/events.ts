import { z } from 'zod';
import { entityId } from './ids.js';
import { timestamp } from './time.js';

/** Fields every device event carries (PROTOCOL.md, Event JSON). Unknown fields are stripped. */
const common = {
  id: z.string().min(1).max(128),
  ts: timestamp,
  battery: z.number().min(0).max(100).optional(),
};

export const checkinAnswer = z.enum(['fine', 'unwell', 'help', 'unknown']);
export const itemAnswer = z.enum(['ok', 'not_ok']);
/** The structured questions a check-in may ask: 体調, 服薬, 睡眠, 食事. */
export const CHECKIN_ITEMS = ['health', 'medication', 'sleep', 'meal'] as const;
export const checkinItem = z.enum(CHECKIN_ITEMS);
export type CheckinItem = z.infer<typeof checkinItem>;
export const checkinItems = z
  .object({
    health: itemAnswer.optional(),
    medication: itemAnswer.optional(),
    sleep: itemAnswer.optional(),
    meal: itemAnswer.optional(),
  })
  .strict();
export type CheckinItems = z.infer<typeof checkinItems>;

export const motionEvent = z.object({
  ...common,
  type: z.literal('motion'),
  room: z.string().max(64).optional(),
  occupied: z.boolean(),
});

export const doorEvent = z.object({
  ...common,
  type: z.literal('door'),
  name: z.string().max(64).optional(),
  open: z.boolean(),
});

export const environmentEvent = z
  .object({
    ...common,
    type: z.literal('environment'),
    temperatureC: z.number().min(-50).max(80).optional(),
    humidityPct: z.number().min(0).max(100).optional(),
  })
  .refine((e) => e.temperatureC !== undefined || e.humidityPct !== undefined, {
    message: 'needs temperatureC or humidityPct',
    path: ['temperatureC'],
  });

export const powerEvent = z.object({
  ...common,
  type: z.literal('power'),
  watts: z.number().min(0).max(100_000),
});

export const checkinEvent = z.object({
  ...common,
  type: z.literal('checkin'),
  promptId: z.string().min(1).max(128).optional(),
  residentId: entityId.optional(),
  answer: checkinAnswer,
  via: z.enum(['voice', 'button']),
  text: z.string().max(1000).optional(),
  items: checkinItems.optional(),
});

export const sosEvent = z.object({
  ...common,
  type: z.literal('sos'),
  via: z.enum(['button', 'voice', 'pendant']),
  residentId: entityId.optional(),
});

export const heartbeatEvent = z.object({
  ...common,
  type: z.literal('heartbeat'),
});

/** Every event a device may publish on `…/{deviceId}/event`. */
export const deviceEvent = z.discriminatedUnion('type', [
  motionEvent,
  doorEvent,
  environmentEvent,
  powerEvent,
  checkinEvent,
  sosEvent,
  heartbeatEvent,
]);

export type DeviceEvent = z.infer<typeof deviceEvent>;
export type DeviceEventInput = z.input<typeof deviceEvent>;
export type EventType = DeviceEvent['type'];
/** An event as a device composes it, before it stamps `id` and `ts` (distributes over the union). */
export type DeviceEventBody = DeviceEventInput extends infer E
  ? E extends unknown
    ? Omit<E, 'id' | 'ts'>
    : never
  : never;
/** `status` topic payload; the device's MQTT will publishes `{"online":false}`. */
export const deviceStatus = z.object({
  online: z.boolean(),
  ts: timestamp.optional(),
});
export type DeviceStatus = z.infer<typeof deviceStatus>;
