// The value type of each jail option a fail2ban version reads, as one map per version: several rules pick their
// options by type for every distinct key of a big file (20k keys in [DEFAULT]), and ruleKit's knownJailOption memo
// holds only 10k names (a file with more starts it over for each rule).
import { jailOption, jailOptionNames } from '../knowledge/jailOptions';
import type { OptionValueType } from '../knowledge/types';
import type { Fail2banVersion } from '../types';

const typesByVersion = new Map<Fail2banVersion, ReadonlyMap<string, OptionValueType>>();

function typesOf(version: Fail2banVersion): ReadonlyMap<string, OptionValueType> {
  let types = typesByVersion.get(version);
  if (!types) {
    const built = new Map<string, OptionValueType>();
    for (const name of jailOptionNames(version)) {
      const option = jailOption(name, version); // (what knownJailOption answers for the name)
      if (option) built.set(name, option.type);
    }
    typesByVersion.set(version, (types = built));
  }
  return types;
}

/** knownJailOption(name, version)?.type for a lower-cased option name (an option node's `name`), without a memo entry. */
export function jailOptionType(name: string, version: Fail2banVersion): OptionValueType | undefined {
  return typesOf(version).get(name);
}
