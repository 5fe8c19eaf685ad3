import type { Rep, SensorStatus, SessionEvent, SetSummary, Snapshot } from '@hipcue/messages';

/** Builders for contract-valid messages used by the component tests. */
export function sensor(over: Partial<SensorStatus> = {}): SensorStatus {
  return {
    sensorId: 'sim-1',
    position: 'pelvis',
    state: 'streaming',
    simulated: true,
    profile: 'hipcue',
    batteryPct: 87,
    lossPct: 0.4,
    rateHz: 200,
    ...over,
  };
}

export function snapshot(over: Partial<Snapshot> = {}): Snapshot {
  return {
    type: 'snapshot',
    protocolVersion: 1,
    sessionId: 's1',
    patientLabel: 'P-001',
    clientId: 'c1',
    role: 'patient',
    source: 'sim',
    startedAt: '2026-11-23T19:00:00.000Z',
    nowS: 10,
    exercise: 'hip-thrust',
    side: 'left',
    phase: 'idle',
    sensors: [sensor()],
    calibration: { state: 'none', progress: 0 },
    thresholds: { pelvicDropDeg: 6, lumbarArchDeg: 8 },
    defaultThresholds: { pelvicDropDeg: 6, lumbarArchDeg: 8 },
    reps: [],
    sets: [],
    currentSetId: null,
    targetSets: 3,
    fatigue: null,
    notes: [],
    recentEvents: [],
    lastSeq: 0,
    appliedRatingIds: [],
    ...over,
  };
}

export function rep(index: number, over: Partial<Rep> = {}): Rep {
  return {
    index,
    indexInSet: index,
    setId: 'set1',
    startS: index * 4,
    endS: index * 4 + 3,
    rangeDeg: 25,
    tempoS: { up: 1, hold: 1, down: 1 },
    peakTiltDeg: 25,
    peakObliquityDeg: 2,
    peakRotationDeg: 1,
    peakAngularVelocityDegPerS: 60,
    faults: [],
    cueCode: null,
    ...over,
  };
}

export function setSummary(index: number, over: Partial<SetSummary> = {}): SetSummary {
  return {
    setId: `set${index}`,
    index,
    exercise: 'hip-thrust',
    side: 'left',
    startS: 0,
    endS: 30,
    reps: 8,
    faults: 1,
    painRating: null,
    perceivedFatigue: null,
    fatigueEstimate: 0.4,
    ...over,
  };
}

export function events(...evs: SessionEvent[]) {
  return { type: 'events' as const, events: evs };
}
