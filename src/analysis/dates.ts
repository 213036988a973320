import type { PackageHistory } from "../registry/contract.js";
import type { Bump, Signal } from "../types.js";

// Some registries (mirrors especially) report re-publish dates in `time`, not original ones.
export function publishDateSignals(history: PackageHistory, bump: Bump): Signal[] {
  const from = history.time[bump.from];
  const to = history.time[bump.to];
  if (!to) {
    return [info(`the registry gives no publish date for ${bump.to}; its age is unknown`, bump.to)];
  }
  if (from && Date.parse(to) < Date.parse(from)) {
    return [
      info(
        `publish dates look implausible: ${bump.to} (${to.slice(0, 10)}) predates ${bump.from} (${from.slice(0, 10)}); ages may be wrong`,
        bump.to,
      ),
    ];
  }
  return [];
}

function info(message: string, version: string): Signal {
  return { analyzer: "contract", rule: "contract/publish-date", severity: "info", message, symbols: [version] };
}
