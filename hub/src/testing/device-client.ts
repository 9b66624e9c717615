import type { DeviceCommand } from '@mimamori/contract';
import mqtt from 'mqtt';

type PromptCommand = Extract<DeviceCommand, { type: 'prompt' }>;

/**
 * A device for integration tests: connects with its credentials, records the commands it
 * receives, and publishes events with fresh ids, stamped with the hub's clock unless the
 * event says otherwise. `end()` disconnects it.
 */
export async function connectTestDevice(
  hub: { mqtt: string; clock: { now(): number } },
  creds: { username: string; password: string; topicPrefix: string },
) {
  const client = await mqtt.connectAsync(hub.mqtt, {
    username: creds.username,
    password: creds.password,
    clientId: creds.username,
    reconnectPeriod: 0,
  });
  const commands: DeviceCommand[] = [];
  client.on('message', (_topic, payload) => commands.push(JSON.parse(payload.toString()) as DeviceCommand));
  await client.subscribeAsync(`${creds.topicPrefix}/command`, { qos: 1 });
  let n = 0;
  const publish = (event: Record<string, unknown>) =>
    client.publishAsync(
      `${creds.topicPrefix}/event`,
      JSON.stringify({ id: `${creds.username}-e${++n}`, ts: hub.clock.now(), ...event }),
      { qos: 1 },
    );
  const prompts = () => commands.filter((c): c is PromptCommand => c.type === 'prompt');
  return { commands, prompts, publish, end: () => client.endAsync(true) };
}

export type TestDevice = Awaited<ReturnType<typeof connectTestDevice>>;
