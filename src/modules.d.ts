// Type declarations for npm's own libraries that ship none.

declare module "@npmcli/map-workspaces" {
  function mapWorkspaces(options: { cwd: string; pkg: { workspaces: string[] } }): Promise<Map<string, string>>;
  export default mapWorkspaces;
}

declare module "@npmcli/config" {
  interface ConfigOptions {
    npmPath: string;
    cwd?: string;
    argv?: string[];
    env?: NodeJS.ProcessEnv;
    definitions: unknown;
    shorthands: unknown;
    flatten: unknown;
    warn?: boolean;
  }
  class Config {
    constructor(options: ConfigOptions);
    load(): Promise<void>;
    get flat(): Record<string, unknown>;
    /** Where a key's value came from: "default", "builtin", "global", "user", "project", "env", "cli". */
    find(key: string): string | null;
  }
  export default Config;
}

declare module "@npmcli/config/lib/definitions/index.js" {
  const configDefinitions: { definitions: unknown; shorthands: unknown; flatten: unknown };
  export default configDefinitions;
}

declare module "@npmcli/agent" {
  import type { Agent as HttpAgent } from "node:http";
  /** npm's connection agent (timeouts, proxies); its options are npm's flattened config plus Node's agent and TLS options. */
  class Agent extends HttpAgent {
    constructor(options?: Record<string, unknown>);
  }
  export { Agent };
}
