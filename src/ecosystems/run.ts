import type { NotesSetup } from "../changelog/setup.js";
import type { JsonCache } from "../registry/cache.js";
import type { Bump, Inventory } from "../types.js";
import type { LockWriter } from "./lock-writer.js";
import type { CiSetup } from "../ci/workflow.js";
import type { EcosystemReader, EcosystemReview } from "./types.js";

/** What a command asks of an ecosystem for one run: flags and the shared cache. */
export interface RunSetup {
  projectDir: string;
  env: NodeJS.ProcessEnv;
  /** --registry (npm) or --index-url (Python). */
  registryUrl?: string;
  offline: boolean;
  cache: JsonCache;
  /** Connections per registry host. */
  maxConnections: number;
  /** One registry request's time limit (--request-timeout). */
  requestTimeoutMs?: number;
  /** Absent with --no-notes. */
  notes?: { github: boolean; githubApiUrl: string | undefined };
  /** Absent with --no-api-diff. */
  api?: { budgetMs?: number; wanted?: (bump: Bump) => boolean };
}

/** The run's ecosystem steps, its release-note sources, and what to close when done. */
export interface EcosystemRun {
  review: EcosystemReview;
  notes?: NotesSetup;
  close(): Promise<void>;
}

/** What the lock writer passes on to the project's own tool: the index and --offline. */
export interface WriterSetup {
  projectDir: string;
  env: NodeJS.ProcessEnv;
  registryUrl?: string;
  offline: boolean;
  /** --allow-builds: a package's build backend may run to read its metadata while locking. */
  allowBuilds?: boolean;
}

/** One ecosystem: how a project is read, how a run is set up against its registry, how an upgrade is written. */
export interface EcosystemPlugin extends EcosystemReader {
  open(setup: RunSetup): Promise<EcosystemRun>;
  /** The writer for this lockfile (--branch, --pr, --verify); an InputError when bumpwise cannot write it. */
  lockWriter(inventory: Inventory, setup: WriterSetup): Promise<LockWriter>;
  /** `init ci`: what the workflow must set up beside Node.js to run the project's own tool (Python and uv, say). */
  ciSetup?(projectDir: string): Promise<CiSetup>;
}
