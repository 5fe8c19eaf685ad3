/** Session seconds as m:ss.s */
export function formatSessionTime(tS: number): string {
  const m = Math.floor(tS / 60);
  const s = tS - m * 60;
  return `${m}:${s.toFixed(1).padStart(4, '0')}`;
}
