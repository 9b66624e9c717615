import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Stores, TimeSeriesBackend } from '../store/index.js';

/**
 * The hub's Prometheus metrics, in a registry of its own (never prom-client's global one, so
 * two hubs in one test process do not share counters). Gauges that mirror stored state are
 * filled by `collect` callbacks at scrape time.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mimamori_' });
  const registers = [registry];
  return {
    registry,
    mqttMessages: new Counter({
      name: 'mimamori_mqtt_messages_total',
      help: 'MQTT messages accepted into the journal, by event type',
      labelNames: ['type'] as const,
      registers,
    }),
    mqttRejected: new Counter({
      name: 'mimamori_mqtt_messages_rejected_total',
      help: 'MQTT messages refused or rejected, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    mqttDuplicates: new Counter({
      name: 'mimamori_mqtt_duplicate_events_total',
      help: 'Events ignored because their device had already sent that event id',
      registers,
    }),
    mqttConnectionsRefused: new Counter({
      name: 'mimamori_mqtt_connections_refused_total',
      help: 'MQTT connections refused, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    ingestLatency: new Histogram({
      name: 'mimamori_ingest_commit_seconds',
      help: 'Time from receiving an event to its durable commit',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
    ruleEvaluations: new Counter({
      name: 'mimamori_rule_evaluations_total',
      help: 'Rule evaluations, by rule',
      labelNames: ['rule'] as const,
      registers,
    }),
    ruleStatesDropped: new Counter({
      name: 'mimamori_rule_states_dropped_total',
      help: 'Stored rule states of an older shape dropped at load (the rule started afresh for the home), by rule',
      labelNames: ['rule'] as const,
      registers,
    }),
    alertsOpened: new Counter({
      name: 'mimamori_alerts_opened_total',
      help: 'Alerts opened, by rule and severity',
      labelNames: ['rule', 'severity'] as const,
      registers,
    }),
    checkins: new Counter({
      name: 'mimamori_checkins_total',
      help: 'Scheduled check-ins by how they ended (answered, satisfied, missed, absent, paused, not_asked)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    prompts: new Counter({
      name: 'mimamori_checkin_prompts_total',
      help: 'Prompt commands sent to speakers, and prompts that found no speaker (result: sent, no_speaker, failed)',
      labelNames: ['result'] as const,
      registers,
    }),
    notifications: new Counter({
      name: 'mimamori_notification_deliveries_total',
      help: 'Notification delivery attempts, by channel and result (delivered, retry, failed)',
      labelNames: ['channel', 'result'] as const,
      registers,
    }),
    escalations: new Counter({
      name: 'mimamori_alert_escalation_steps_total',
      help: 'Escalation steps taken (tier: a next tier told; reminder: an acknowledger or everyone reminded; exhausted)',
      labelNames: ['step'] as const,
      registers,
    }),
    unreachableWatchers: new Counter({
      name: 'mimamori_unreachable_watchers_total',
      help: 'Watchers who were to be told of an alert but have neither e-mail nor a push subscription',
      registers,
    }),
    alexaRequests: new Counter({
      name: 'mimamori_alexa_requests_total',
      help: 'Requests to the Alexa skill endpoint: accepted, or refused by reason (unsigned, bad_certificate_url, untrusted_certificate, bad_signature, stale_timestamp, wrong_application, …)',
      labelNames: ['result'] as const,
      registers,
    }),
    alexaPairings: new Counter({
      name: 'mimamori_alexa_pairings_total',
      help: 'Codes said to the Alexa skill to pair an Echo, by result (paired, unknown, expired, used, throttled, already_paired)',
      labelNames: ['result'] as const,
      registers,
    }),
    alexaReminders: new Counter({
      name: 'mimamori_alexa_reminders_total',
      help: 'Alexa reminders for prompts and announcements, by result (requested, created, not_granted, not_configured, withdrawn, failed)',
      labelNames: ['result'] as const,
      registers,
    }),
    /** A gauge read at scrape time; registering a name again (a hub composed anew) replaces the old one. */
    gauge: (name: string, help: string, labelNames: readonly string[], collect: (g: Gauge) => void) => {
      registry.removeSingleMetric(name);
      return new Gauge({
        name,
        help,
        labelNames,
        registers,
        collect() {
          collect(this);
        },
      });
    },
  };
}

/** Alerts and outbox deliveries by state, and InfluxDB's forwarding lag, read at each scrape. */
export function registerStateGauges(
  metrics: Metrics,
  stores: Pick<Stores, 'alerts' | 'outbox'>,
  timeSeries: Pick<TimeSeriesBackend, 'forwardLag'>,
): void {
  if (timeSeries.forwardLag() !== undefined) {
    metrics.gauge('mimamori_influx_forward_lag_events', 'Journaled events not yet in InfluxDB', [], (g) =>
      g.set(timeSeries.forwardLag() ?? 0),
    );
  }
  metrics.gauge('mimamori_alerts', 'Alerts by state', ['state'], (gauge) => {
    gauge.reset();
    for (const [state, n] of Object.entries(stores.alerts.countByStatus())) gauge.set({ state }, n);
  });
  metrics.gauge('mimamori_outbox_deliveries', 'Notification deliveries by status', ['status'], (gauge) => {
    gauge.reset();
    for (const [status, n] of Object.entries(stores.outbox.countByStatus())) gauge.set({ status }, n);
  });
}

export type Metrics = ReturnType<typeof createMetrics>;
