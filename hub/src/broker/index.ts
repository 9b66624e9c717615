export { MqttBroker, type MqttBrokerDeps } from './mqtt-broker.js';
