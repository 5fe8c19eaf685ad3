/**
 * @hipcue/sim — a simulated patient wearing a pelvis IMU: kinematics, sensor model, BLE link and ground truth.
 * README.md documents the biomechanics, the sensor figures and the API.
 */
export { CH, CHANNEL_COUNT } from './body.ts';
export { CORPUS_FAULT_PROBABILITY, corpusSpecs } from './corpus.ts';
export { AxisTriad, BMI270_TYPICAL, type ImuErrorModel, imuModelFor } from './imu.ts';
export { GilbertElliott } from './link.ts';
export { LivePatient, type LiveSpec, liveSessions } from './live.ts';
export { drawPerson, PERSON_RANGES, type Person, type PersonRanges } from './person.ts';
export { Rng } from './prng.ts';
export * from './quat.ts';
export { DEFAULT_ACC_RANGE_CODE, DEFAULT_GYR_RANGE_CODE, simulateSession } from './session.ts';
export { fatigueAt } from './timeline.ts';
export * from './types.ts';
export { type SpecProblem, validateSpec } from './validateSpec.ts';
