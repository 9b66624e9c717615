/**
 * The MQTT versions the broker tests run over (PROTOCOL.md: 3.1.1 and 5 clients must both
 * work): mqtt.js's `protocolVersion` 4 is 3.1.1.
 */
export const MQTT_VERSIONS = [
  { label: 'MQTT 3.1.1', protocolVersion: 4 },
  { label: 'MQTT 5', protocolVersion: 5 },
] as const;

export type MqttVersion = (typeof MQTT_VERSIONS)[number];

/**
 * What a refused CONNECT answers (docs/protocol.md): the 3.1.1 return code, or the v5 reason
 * code — as mqtt.js reports either, in the error's `code`.
 */
const CONNACK_REFUSALS = {
  identifierRejected: { 4: 2, 5: 0x85 },
  serverUnavailable: { 4: 3, 5: 0x88 },
  badCredentials: { 4: 4, 5: 0x86 },
} as const;

export const connackRefusal = (version: MqttVersion, refusal: keyof typeof CONNACK_REFUSALS): number =>
  CONNACK_REFUSALS[refusal][version.protocolVersion];
