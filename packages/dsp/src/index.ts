export {
  type AnalyzeOptions,
  analyzeSession,
  frameRollCorrectionDeg,
  type SessionAnalysis,
  type SessionSamples,
} from './analyze.ts';
export { type Attitude, type AttitudeSettings, createAttitude, defaultAttitudeSettings } from './attitude.ts';
export { type CalibrationSettings, calibrationMessages, defaultCalibrationSettings } from './calibrator.ts';
export { ClockAligner } from './clockAligner.ts';
export { cueTexts } from './cues.ts';
export { evaluateCorpus, type FaultScore, type ScorecardResult, type SimLike } from './evaluate.ts';
export { principalAxis, triadMounting } from './mounting.ts';
export * from './orientation/index.ts';
export { createPipeline, type Pipeline, type PipelineOptions } from './pipeline.ts';
export { type ExerciseGeometry, exerciseGeometry } from './poses.ts';
export * from './quat.ts';
export { createRepDetector, defaultRepDetectorSettings, type RepDetector, type RepDetectorSettings } from './reps.ts';
export { reviewSets, type SetReview } from './review.ts';
export { renderScorecardMarkdown, type ScorecardVariant } from './scorecard.ts';
export { type SegmentRole, type SegmentStatus, segmentRoles, twistDeg } from './segment.ts';
export { type ExerciseTarget, exerciseTargets, fatigueLevelOf } from './sets.ts';
export { createStillness, defaultStillnessSettings, type Stillness, type StillnessSettings } from './stillness.ts';
export { defaultThresholds, faultPriority, faultsByExercise, mergeThresholds, type Thresholds } from './thresholds.ts';
export * from './types.ts';
