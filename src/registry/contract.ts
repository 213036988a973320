
// What every ecosystem's registry gives the pipeline. Each client adds its ecosystem's own fields to
// the published version (npm: the package.json fields; PyPI: requires_python, requires_dist, files).

export type RegistryErrorCode = "not-found" | "unauthorized" | "server-error" | "timeout" | "network" | "offline" | "invalid";

/** A failure for one package; the review records it and goes on. */
export class RegistryError extends Error {
  override name = "RegistryError";
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** What every ecosystem knows of one published version: where its source lives and its archive. */
export interface PublishedVersion {
  version: string;
  /** The deprecation (npm) or yank (PyPI) message; absent when the version is neither. */
  deprecated?: string;
  /** The repository URL (or npm's `repository` object). */
  repository?: unknown;
  homepage?: string;
  bugs?: unknown;
  /** The archive release notes can be read from (npm tarball, PyPI sdist). */
  tarball?: string;
  /** The archive's checksum (SRI), when the registry gives one. */
  integrity?: string;
}

export interface RegistryClient<M extends PublishedVersion = PublishedVersion> {
  /**
   * Every version of a package with deprecations and publish times. `prime` names versions whose
   * metadata will likely be asked for (the installed ones), so they are kept from this download.
   */
  packument(name: string, prime?: readonly string[]): Promise<PackageHistory>;
  /** The metadata of one published version (immutable, so cached without expiry). */
  manifest(name: string, version: string): Promise<M>;
  /** Counts since the client was made: what the cache saved. */
  readonly stats: { downloaded: number; revalidated: number; fromCache: number };
}

/** What planning needs of every version; full manifests are fetched only for the versions compared. */
export interface VersionSummary {
  version: string;
  deprecated?: string;
  /** Withdrawn from the index (PyPI "yanked"), with the reason given; "" when none was. */
  yanked?: string;
  /** The runtime range the version declares it needs, when planning must respect it (`requires_python`). */
  runtime?: string;
}

/** What bumpwise keeps of a packument: every version, its deprecation and publish time. */
export interface PackageHistory {
  name: string;
  distTags: Record<string, string>;
  /** version → ISO date. A mirror may report re-publish dates here, not the original ones. */
  time: Record<string, string>;
  versions: Record<string, VersionSummary>;
}
