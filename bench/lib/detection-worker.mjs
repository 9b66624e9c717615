// A worker thread of the detection benchmark: replays its share of the population's homes and posts
// each home's result as it is done.
import { parentPort, workerData } from 'node:worker_threads';
import { replayHome } from './detection-home.mjs';

const { options, indices, from } = workerData;
for (const index of indices) parentPort.postMessage(await replayHome(options, index, from));
