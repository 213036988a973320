import type { NotesSetup } from "../cli/notes-setup.js";
import type { JsonCache } from "../registry/cache.js";
import type { Bump } from "../types.js";
import type { EcosystemReader, EcosystemReview } from "./types.js";

/** What a command asks of an ecosystem for one run: flags and the shared cache. */
export interface RunSetup {
  projectDir: string;
  env: NodeJS.ProcessEnv;
  /** --registry (npm) or --index-url (Python). */
  registryUrl?: string;
  offline: boolean;
  cache: JsonCache;
  cacheDir: string | undefined;
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

/** One ecosystem: how a project is read, and how a run is set up against its registry. */
export interface EcosystemPlugin extends EcosystemReader {
  open(setup: RunSetup): Promise<EcosystemRun>;
}
