// The jail lab's report types, for the extension and its webview (browser code: nothing here may need Node).
export type { IpSummary, JailTestReport, LabWarning } from '../lab/types';
