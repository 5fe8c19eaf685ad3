import { createPipeline, type Exercise, exercises, type PipelineEvent } from '@hipcue/dsp';
import { replayNotifications } from '@hipcue/recording';
import { SIDES } from '@hipcue/sim';
import { usageError } from '../cliError.ts';
import { type Command, choiceValue, numberValue, requiredString } from '../command.ts';
import { loadRecording, pelvisSensorId } from '../session/loadRecording.ts';
import { SessionDecoder } from '../session/SessionDecoder.ts';

export const replay: Command = {
  name: 'replay',
  summary: 'run a recording through the decoder and pipeline, events as JSON lines',
  options: {
    in: { type: 'string', valueName: 'rec.mcap', description: 'recording to replay (required)' },
    realtime: { type: 'boolean', description: 'pace notifications by their recorded host times' },
    speed: { type: 'string', description: 'pace at this multiple of real time (implies --realtime)' },
    exercise: { type: 'string', description: "override the recording's exercise" },
    side: { type: 'string', description: "override the recording's side" },
  },
  details: [
    'Each stdout line is one JSON object: a pipeline event ({type, tS, …} as @hipcue/dsp emits it), a link gap',
    '({type: "link-gap", …}) or a bad notification, each with hostTimeUs of the notification that produced it;',
    'the last line is {type: "replay-summary", …}. Notifications go byte for byte, in file order, through',
    'firmware-protocol decode + StreamReconstructor and the dsp pipeline, as live data does.',
  ].join('\n'),
  async run(values, io) {
    const input = requiredString(values, 'in');
    const speed =
      values.speed !== undefined ? numberValue(values, 'speed', 1, { min: 0.01, max: 1000 }) : values.realtime ? 1 : 0;
    const r = await loadRecording(input, io);
    const exercise = choiceValue(values, 'exercise', exercises, r.meta?.exercise as Exercise | undefined);
    const side = choiceValue(values, 'side', SIDES, r.meta?.side);
    const pelvis = pelvisSensorId(r);
    if (pelvis === undefined) throw usageError(`${input} holds no notifications to replay`);
    const pipeline = createPipeline({ exercise, side });
    const decoder = new SessionDecoder();
    const line = (hostTimeUs: number, o: object) => io.stdout.write(`${JSON.stringify({ hostTimeUs, ...o })}\n`);
    const emit = (hostTimeUs: number, events: PipelineEvent[]) => {
      for (const e of events) line(hostTimeUs, e);
    };
    let samples = 0;
    let lastHostUs = 0;
    const handle = (hostTimeUs: number, outputs: ReturnType<SessionDecoder['feed']>) => {
      for (const o of outputs) {
        if (o.type === 'samples') {
          if (o.sensorId !== pelvis) continue;
          for (const s of o.samples) {
            const [gx, gy, gz] = s.gyrRadPerS;
            const [ax, ay, az] = s.accMps2;
            pipeline.next(s.tS, gx, gy, gz, ax, ay, az);
            samples++;
          }
        } else if (o.type === 'gap') {
          line(hostTimeUs, { ...o, type: 'link-gap' });
        } else {
          line(hostTimeUs, o);
        }
      }
      emit(hostTimeUs, pipeline.drainEvents());
    };
    for await (const n of replayNotifications(r, { speed })) {
      lastHostUs = n.hostTimeUs;
      handle(n.hostTimeUs, decoder.feed(n));
    }
    handle(lastHostUs, decoder.finish());
    pipeline.endSet();
    emit(lastHostUs, pipeline.drainEvents());
    line(lastHostUs, { type: 'replay-summary', notifications: r.notifications.length, samples, complete: r.complete });
  },
};
