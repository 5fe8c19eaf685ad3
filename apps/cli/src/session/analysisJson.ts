import type { SessionAnalysis } from '@hipcue/dsp';

/** `hipcue analyze` output (issue 4 §8): snake_case times in seconds, more fields welcome. */
export function analysisJson(a: SessionAnalysis): object {
  return {
    reps: a.reps.map((r) => ({
      start_s: r.startS,
      end_s: r.endS,
      faults: r.faults,
      set: r.setIndex,
      peak_s: r.peakS,
      range_deg: r.rangeDeg,
      up_s: r.upS,
      hold_s: r.holdS,
      down_s: r.downS,
      peak_angular_velocity_deg_per_s: r.peakAngularVelocityDegPerS,
    })),
    sets: a.sets.map((s) => ({
      start_s: s.startS,
      end_s: s.endS,
      reps: s.reps,
      fatigue_estimate: s.fatigueEstimate,
      fatigue_level: s.fatigueLevel,
    })),
    cues: a.cues.map((c) => ({ t_s: c.tS, code: c.code, text: c.text, rep: c.repIndex })),
    faults: a.faults,
    // `faults` above are the live detections; the reps' fault lists are after this after-set review
    review: {
      added: a.review.added.map(({ repIndex, tS, ...f }) => ({ rep: repIndex, t_s: tS, ...f })),
      cleared: a.review.cleared.map(({ repIndex, code }) => ({ rep: repIndex, code })),
      // live-counted reps the review found were no rep (left out of `reps` and the set counts)
      not_reps: a.review.notReps.map(({ repIndex, setIndex }) => ({ rep: repIndex, set: setIndex })),
    },
    calibration: a.calibration,
    summary: a.summary,
  };
}
