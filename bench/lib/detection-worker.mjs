// A worker thread of the detection benchmark: replays its share of the population's homes (each
// `{ index, spared }`) and posts each home's result as it is done.
import { parentPort, workerData } from 'node:worker_threads';
import { replayHome } from './detection-home.mjs';

const { options, replays, from } = workerData;
for (const { index, spared } of replays) parentPort.postMessage(await replayHome(options, index, from, spared));
