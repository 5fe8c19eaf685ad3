/**
 * Speaks cues with the Web Speech API and plays an optional short tone with WebAudio.
 * Both are best-effort: a browser without them (or with no voices) just shows the text.
 */
export interface CueVoice {
  speak(text: string, opts: { tone: 'good' | 'warn' | null }): void;
}

let audio: AudioContext | null = null;

function tone(kind: 'good' | 'warn'): void {
  const Ctx = globalThis.AudioContext;
  if (!Ctx) return;
  audio ??= new Ctx();
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  osc.frequency.value = kind === 'good' ? 880 : 440;
  gain.gain.value = 0.15;
  osc.connect(gain).connect(audio.destination);
  const t0 = audio.currentTime;
  gain.gain.setTargetAtTime(0, t0 + 0.12, 0.03);
  osc.start(t0);
  osc.stop(t0 + 0.25);
}

export const browserVoice: CueVoice = {
  speak(text, { tone: t }) {
    try {
      if (t) tone(t);
      const synth = globalThis.speechSynthesis;
      if (!synth || typeof SpeechSynthesisUtterance === 'undefined') return;
      synth.cancel(); // one cue at a time: a new cue replaces one still being spoken
      const u = new SpeechSynthesisUtterance(text);
      u.rate = 1.05;
      synth.speak(u);
    } catch {
      // Audio is optional; the visible cue is the contract.
    }
  },
};
