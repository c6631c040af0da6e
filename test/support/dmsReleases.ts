// The stand-in docker's table of DMS images, derived from the release registry (server/src/knowledge/releases.ts):
// every image of every release entry, under the name tests use (`startDmsContainer({ dmsVersion: 'v12.1' })`).
// The stand-in itself (plain JS, no build step) reads the chosen image's dialect from its state file.
import { DMS_RELEASES, type DmsRelease, type SetupDialect } from '../../server/src/knowledge/releases';
import { DEFAULT_DMS_VERSION, type DmsVersion, type Fail2banVersion } from '../../server/src/types';

export interface DmsImageInfo {
  /** The name tests use. */
  key: string;
  /** `DMS_RELEASE` / image version label. */
  release: string;
  image: string;
  fail2ban: Fail2banVersion;
  /** The registry entry whose jail.local/fixes.local the container carries. */
  dmsVersion: DmsVersion;
  dialect: SetupDialect;
  /** Where fail2ban-server logs in the container (registry fact). */
  fail2banLog: string;
}

export const DMS_IMAGES: Readonly<Record<string, DmsImageInfo>> = Object.fromEntries(
  (DMS_RELEASES as readonly DmsRelease[]).flatMap((release) =>
    release.images.map((image) => [
      image.key,
      { key: image.key, release: image.tag, image: image.image, fail2ban: release.fail2ban, dmsVersion: release.name, dialect: image.dialect, fail2banLog: release.fail2banLog.path },
    ]),
  ),
);

function newestImageKey(version: DmsVersion): string {
  const release = (DMS_RELEASES as readonly DmsRelease[]).find((r) => r.name === version);
  if (!release) throw new Error(`no DMS release ${version} in the registry`);
  return release.images[release.images.length - 1].key;
}

/** Short names tests may use: `latest` is the registry's default release. */
export const DMS_IMAGE_ALIASES: Readonly<Record<string, string>> = {
  v12: 'v12.0',
  v15: 'v15.1',
  latest: newestImageKey(DEFAULT_DMS_VERSION),
};

export type DmsVersionName = string;

export function resolveDmsVersion(name: DmsVersionName): DmsImageInfo {
  const info = DMS_IMAGES[DMS_IMAGE_ALIASES[name] ?? name];
  if (!info) {
    throw new Error(`Unknown DMS version '${name}'. Known: ${[...Object.keys(DMS_IMAGES), ...Object.keys(DMS_IMAGE_ALIASES)].join(', ')}`);
  }
  return info;
}
