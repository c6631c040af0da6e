// The jail lab's report shapes without Node types, for the webview bundle (browser) and the extension.
export type { IpSummary, JailTestReport, LabWarning } from '../lab/types';
export type { BanActivity, BanEvent, BanTime } from '../lab/fail2banLog';
