/**
 * Child process for the crash test: records synthetic notifications in real time (one per 4 ms) into argv[2]
 * and prints "<index> <hostTimeUs>" once each add has returned. The test kills it with SIGKILL mid-stream.
 */
import { openRecordingFile } from '../node.ts';
import { prng, sampleMeta, syntheticNotification } from './sampleSession.ts';

const path = process.argv[2];
if (!path) {
  console.error('usage: killableWriter <out.mcap>');
  process.exit(2);
}
const file = await openRecordingFile(path, sampleMeta, { fsync: true, flushIntervalMs: 500 });
const rand = prng(99);
const startUs = Date.now() * 1000;
for (let i = 0; ; i++) {
  const hostTimeUs = startUs + Math.round(performance.now() * 1000);
  await file.writer.addNotification(syntheticNotification(i, hostTimeUs, rand));
  process.stdout.write(`${i} ${hostTimeUs}\n`);
  await new Promise((resolve) => setTimeout(resolve, 4));
}
