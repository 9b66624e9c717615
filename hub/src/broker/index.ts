export { MqttBroker, type MqttBrokerDeps } from './mqtt-broker.js';
export { ExternalBroker, type ExternalBrokerDeps } from './external-broker.js';
export type { DeviceBroker } from './device-broker.js';
export { composeBroker, readTls } from './compose.js';
