import type { ReplayedControl } from '../sources/types.ts';
import type { SessionCore } from './SessionCore.ts';

/**
 * Re-applies recorded commands at the sample they were applied at live: a command recorded at `tS` was applied
 * after the sample at `tS` was processed, so it is due once the session clock reaches `tS`.
 */
export class ControlReplayer {
  private i = 0;

  constructor(private readonly controls: readonly ReplayedControl[]) {}

  applyDue(core: SessionCore): void {
    for (;;) {
      const c = this.controls[this.i];
      if (!c || c.tS > core.nowS) return;
      this.i++;
      if (c.type === 'threshold') {
        core.command({ type: 'set-thresholds', thresholds: { [c.name]: c.value } }, 'therapist');
      } else {
        core.control(c.type);
      }
    }
  }
}
