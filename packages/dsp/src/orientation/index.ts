export { inclinationErrorDeg, type OrientationErrorRmse, orientationErrorRmse } from './broadMetric.ts';
export { createOrientationFilter, OrientationFilter, type OrientationFlags } from './orientationFilter.ts';
export { orientBatch } from './orientBatch.ts';
export {
  type ImuCsv,
  type ImuCsvError,
  type ImuCsvErrorCode,
  type ImuCsvResult,
  parseImuCsv,
} from './parseImuCsv.ts';
export { defaultOrientationSettings, type OrientationSettings } from './settings.ts';
