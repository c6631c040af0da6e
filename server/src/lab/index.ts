// Jail lab: test a jail's effective configuration against a log with the real fail2ban-regex.
export * from './types';
export { FailureTally, firstBanTime, readIgnoreIp, MAX_TIMELINE_POINTS } from './analyze';
export { lockoutWarnings, parseInspectNetworks, GATEWAY_REMEDY, type ContainerNetwork } from './lockout';
export { buildJailTestPlan, fail2banRegexArguments, type JailTestPlan } from './plan';
export { LineSplitter, RegexOutputReader, formatWallTime } from './regexOutput';
export { dockerExecArgs, runJailTest, validateDockerTarget, type DockerTarget, type JailTestOutcome, type JailTestRequest, type LabTarget } from './run';
export { BanLogReader, actualBansBetween, banActivity, parseBanLogLine, parseBanTimes, remainingSeconds, type ActualBan, type BanActivity, type BanEvent, type BanTime } from './fail2banLog';
export { FAIL2BAN_LOG_PATHS, grepAddress, readBanTimes, readFail2banLog, readBanActivity, readLogWindow, removeFromContainer, uploadLog, type UploadSource } from './container';
export { DMS_MAIL_LOG, formatWhyBanned, whyBanned, whyBannedLinks, type WhyBannedReport } from './whyBanned';
export { MAX_VIEW_LINES, MatchedLinesReader, assignMatches, buildLogView, type LogView, type LogViewMatch } from './logView';
