/**
 * The counters the embedded broker counts its refusals in: the hub's own (`Metrics`) on the
 * main thread, or on the broker thread a relay that posts each count to them.
 */
export interface BrokerMetrics {
  mqttRejected: ReasonCounter;
  mqttConnectionsRefused: ReasonCounter;
}

interface ReasonCounter {
  inc(labels: { reason: string }): void;
}

export const SESSIONS_GAUGE = {
  name: 'mimamori_mqtt_sessions',
  help: 'Persistent MQTT sessions the embedded broker keeps, connected or not (bounded per device)',
} as const;
