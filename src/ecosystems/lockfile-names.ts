// Which lockfiles mark a project of each ecosystem, in detection order: known before a plugin (and its
// parsers, index client and tools) is loaded, so a run loads only its own ecosystem's.

export const npmLockfileNames = ["npm-shrinkwrap.json", "package-lock.json", "pnpm-lock.yaml", "yarn.lock"] as const;

export const pythonLockfileNames = ["uv.lock", "poetry.lock", "Pipfile.lock", "pylock.toml", "requirements.txt"] as const;
