import { describe, expect, it } from "vitest";
import { sayWhatMovesTogether } from "../../src/review/index.js";
import { bump } from "../helpers/review.js";

describe("packages that move together", () => {
  it("a requirement that makes another bumped package move is said on that package's row too, as info", () => {
    const fastapi = { ...bump("fastapi", "x"), from: "0.65.1", to: "0.128.8" };
    const pydantic = { ...bump("pydantic", "y"), from: "1.10.2", to: "1.10.27" };
    const quote = { quote: "Requires-Dist: pydantic>=2.7.0", version: "0.128.8", source: "manifest" as const };
    fastapi.signals = [{ analyzer: "contract", rule: "contract/requires-dist-changed", severity: "risky", message: 'the requirement on pydantic changed from "<2.0.0" to ">=2.7.0": the resolver must move pydantic off 1.10.2', movesWith: "pydantic", evidence: quote }];
    pydantic.signals = [];
    const before = pydantic.verdict;
    sayWhatMovesTogether([fastapi, pydantic]);
    expect(pydantic.signals).toEqual([
      { analyzer: "contract", rule: "contract/moves-with", severity: "info", strength: "inferred", message: 'moves with fastapi 0.65.1 → 0.128.8, whose requirement changed: the requirement on pydantic changed from "<2.0.0" to ">=2.7.0": the resolver must move pydantic off 1.10.2', evidence: quote },
    ]);
    expect(pydantic.verdict).toBe(before);
    expect(fastapi.signals).toHaveLength(1);
  });
});
