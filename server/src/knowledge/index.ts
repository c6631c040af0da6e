// fail2ban and DMS knowledge as typed tables (each module notes its source version).
export * from './types';
export * from './versions';
export * from './jailOptions';
export * from './interpolationVars';
export * from './serverOptions';
export * from './stockJails';
export * from './filters';
export * from './filterModes';
export * from './actions';
export * from './backends';
export * from './stockConfigs';
export * from './dms';
export * from './releases';
export * from './docs';
