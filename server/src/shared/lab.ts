// The jail lab's report types, for the extension and its webview (browser code: nothing here may need Node).
export type { IpSummary, JailTestReport, LabWarning } from '../lab/types';
export type { BanActivity, BanEvent, BanTime } from '../lab/fail2banLog';
