import { simulateSession } from '@hipcue/sim';
import { type Command, numberValue, requiredString } from '../command.ts';
import { writeSimRecording } from '../session/simToRecording.ts';
import { simOptions, simSpecFrom } from './simOptions.ts';

export const sim: Command = {
  name: 'sim',
  summary: 'simulate a session and write it as a recording (.mcap)',
  options: {
    ...simOptions,
    out: { type: 'string', valueName: 'file.mcap', description: 'recording to write (required)' },
    'truth-hz': { type: 'string', description: 'truth angles kept per second, 0 = every sample', default: '0' },
  },
  details: 'Example: hipcue sim --exercise clamshell --side right --faults pelvic_roll:0.3 --seed 7 --out s.mcap',
  async run(values, io) {
    const out = requiredString(values, 'out');
    const spec = simSpecFrom(values);
    const truthHz = numberValue(values, 'truth-hz', 0, { min: 0, max: 1000 });
    const session = simulateSession(spec);
    await writeSimRecording(out, session, { truthHz, fsync: false });
    const reps = session.truth.reps.length;
    const faulty = session.truth.reps.filter((r) => r.faults.length > 0).length;
    io.stderr.write(
      `wrote ${out}: ${session.meta.durationS.toFixed(1)} s, ${session.notifications.length} notifications, ${reps} reps (${faulty} with faults)\n`,
    );
  },
};
