import { describe, expect, it } from "vitest";
import { createTarballReader, isTarballUrl } from "../../../../src/ecosystems/npm/registry/tarball.js";

const httpsRegistry = { registry: "https://npm.mirror.example/" };
const httpMirror = { registry: "http://127.0.0.1:4873/" };

describe("which dist.tarball values are fetched", () => {
  it.each([
    ["https://npm.mirror.example/pkg/-/pkg-1.0.0.tgz", httpsRegistry, true],
    ["http://npm.mirror.example/pkg/-/pkg-1.0.0.tgz", httpsRegistry, false],
    ["http://127.0.0.1:4873/pkg/-/pkg-1.0.0.tgz", httpMirror, true],
    ["git+http://evil.example/repo.git", httpMirror, false],
    ["git+ssh://git@evil.example/repo.git", httpsRegistry, false],
    ["file:../../../../etc/passwd", httpsRegistry, false],
    ["/etc/passwd", httpsRegistry, false],
    ["github:owner/repo", httpsRegistry, false],
    ["ftp://evil.example/pkg.tgz", httpsRegistry, false],
  ])("%s with registry %o → %s", (url, options, fetched) => {
    expect(isTarballUrl(url, options)).toBe(fetched);
  });

  it("anything else is a per-package error, and nothing is fetched or run", async () => {
    const reader = createTarballReader({ options: httpsRegistry, offline: true, keep: { always: () => true } });
    await expect(reader.read("evil", "1.0.0", "git+http://127.0.0.1:1/repo.git", undefined)).rejects.toMatchObject({
      code: "invalid",
      message: 'the registry gives evil@1.0.0 a tarball that is not an https URL ("git+http://127.0.0.1:1/repo.git"); it was not fetched',
    });
  });
});
