/**
 * Credentials never leave the process except to the server or tool that needs them: URLs in messages
 * lose their userinfo, and the upgrade branch refuses to commit a known secret.
 */

// "https://user:pass@host" and "https://TOKEN@host" (Gemfury, Azure); "git@" of an ssh URL is no secret.
// Userinfo is RFC 3986's characters only: a JSON-escaped "\n" before an @mention is not one.
const userinfo = /\b([a-z][a-z0-9+.-]*:\/\/)([\w.~%!$&()*+,;=:-]+)@/gi;

/** The text with the userinfo of every URL in it replaced with `***`. */
export function redactUserinfo(text: string): string {
  return text.replace(userinfo, (whole, scheme: string, info: string) => (info === "git" ? whole : `${scheme}***@`));
}

/** The text with the userinfo of every URL in it removed (`https://user:pass@host` → `https://host`), for files the branch commits. */
export function withoutUserinfo(text: string): string {
  return text.replace(userinfo, (whole, scheme: string, info: string) => (info === "git" ? whole : scheme));
}

/** The secret part of a URL's userinfo: the password, or a lone user name (a token). */
function urlSecret(value: string | undefined): string[] {
  if (!value) return [];
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [];
  }
  const secret = url.password || url.username;
  return secret ? [...new Set([secret, decodeURIComponent(secret)])] : [];
}

/**
 * The secrets this run was given: the userinfo of the index or registry URL and of the index
 * variables the Python tools read, index passwords, and the GitHub token.
 */
export function knownSecrets(env: NodeJS.ProcessEnv, urls: (string | undefined)[]): string[] {
  const fromEnv = Object.entries(env).filter(([name]) => /^(UV_INDEX_\w+_PASSWORD|GITHUB_TOKEN|GH_TOKEN|NPM_TOKEN|NODE_AUTH_TOKEN)$/.test(name)).map(([, value]) => value ?? "");
  const indexUrls = [env.UV_INDEX_URL, env.PIP_INDEX_URL, env.UV_EXTRA_INDEX_URL, env.PIP_EXTRA_INDEX_URL, env.UV_DEFAULT_INDEX, env.PIPENV_PYPI_MIRROR];
  // Short values ("x", "1") would match everywhere and say nothing.
  return [...new Set([...urls, ...indexUrls].flatMap(urlSecret).concat(fromEnv))].filter((secret) => secret.length >= 4);
}
