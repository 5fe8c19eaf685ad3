export type { ChunkedMcapWriterSettings, RecordingSink } from './ChunkedMcapWriter.ts';
export { ChunkedMcapWriter, chunkedMcapWriterDefaults } from './ChunkedMcapWriter.ts';
export * from './format.ts';
export { MemorySink } from './MemorySink.ts';
export { RecordingWriter, sessionMetaToMap } from './RecordingWriter.ts';
export { readRecording } from './readRecording.ts';
export { type ReplaySettings, replayDefaults, replayNotifications } from './replay.ts';
export * from './types.ts';
