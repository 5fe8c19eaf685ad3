import type { SessionReview } from '@hipcue/messages';

export interface TimelineItem {
  key: string;
  tS: number;
  icon: string;
  text: string;
}

/** One ordered list of what happened in a session: reps, faults, cues, ratings, notes, thresholds, sets. */
export function timelineItems(review: SessionReview): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const r of review.reps) {
    if (r.notARep) {
      items.push({
        key: `rep${r.index}`,
        tS: r.startS,
        icon: '·',
        text: `Not a rep (after the set): ${r.rangeDeg.toFixed(1)}°`,
      });
      continue;
    }
    const found = r.faults.map((f) => (f.source === 'review' ? `${f.code} (after the set)` : f.code));
    const withdrawn = (r.clearedByReview ?? []).map((f) => `${f.code} withdrawn after the set`);
    const said = [...found, ...withdrawn];
    items.push({
      key: `rep${r.index}`,
      tS: r.startS,
      icon: r.faults.length ? '⚠' : '✓',
      text: `Rep ${r.index} (${r.rangeDeg.toFixed(1)}°)${said.length ? `: ${said.join(', ')}` : ''}`,
    });
  }
  for (const e of review.events) {
    const key = `e${e.seq}`;
    switch (e.type) {
      case 'cue':
        items.push({ key, tS: e.tS, icon: '»', text: `Cue: “${e.text}”` });
        break;
      case 'pain-rating':
        items.push({ key, tS: e.tS, icon: '✎', text: `Discomfort ${e.rating}/10` });
        break;
      case 'perceived-fatigue':
        items.push({ key, tS: e.tS, icon: '✎', text: `Perceived fatigue ${e.rating}/10` });
        break;
      case 'note':
        items.push({ key, tS: e.tS, icon: '✎', text: `Note: ${e.note.text}` });
        break;
      case 'thresholds':
        items.push({
          key,
          tS: e.tS,
          icon: '⚙',
          text: `Thresholds by ${e.by}: ${Object.entries(e.thresholds)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}`,
        });
        break;
      case 'set-start':
        items.push({ key, tS: e.tS, icon: '▶', text: `Set ${e.index} started` });
        break;
      case 'set-end':
        items.push({ key, tS: e.tS, icon: '■', text: `Set ${e.set.index} ended: ${e.set.reps} reps` });
        break;
      case 'gap':
        items.push({ key, tS: e.tS, icon: '!', text: `Data gap: ${e.samplesLost} samples lost` });
        break;
      default:
        break;
    }
  }
  return items.sort((a, b) => a.tS - b.tS);
}
