/** Trace colours for tilt, obliquity, rotation (also used for their threshold bands). */
export const SERIES_COLORS = ['#6cb6ff', '#fbbf24', '#c084fc'] as const;
