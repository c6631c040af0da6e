// Public entry of the context layer.
export { buildContext, buildContextFromText, resolveVersions } from './build';
export { describeOrigin, effectiveConfigReport, effectiveJail, effectiveServer, type EffectiveOption, type EffectiveSection, type ReportAnnotations, type ReportProblem } from './effective';
export { interpolateDetailed, interpolateRaw, MAX_INTERPOLATION_DEPTH, type DetailedInterpolation } from './interpolate';
export { readAnalysis, type ReadAnalysis, type ReadRecord } from './reads';
export { pyAsBool, jailReaderOptions, JAIL_FIRST_PASS, SERVER_DEFINITION_OPTIONS, SERVER_THREAD_OPTIONS } from './readerOptions';
export { userFilePath, userFileLabel } from './sources';
export { valueOffsetPosition, valueSpanRange } from './locate';
export type { ConfigContext, Interpolated, InterpolationError, Layer, RawValue } from './types';
