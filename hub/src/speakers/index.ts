export { Speakers, type SpeakersDeps } from './speakers.js';
export { MqttSpeakers } from './mqtt-speakers.js';
export type { SpeakerPlatform } from './platform.js';
