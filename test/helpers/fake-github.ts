// A local GitHub REST API that replays fixtures/github/ (see its README): release lists with
// pagination, repository contents (folder listings and raw files), pull requests, issue comments and
// commit statuses. Anything else answers 404
// and is recorded in `unanswered`, so a test can fail on a request nothing was meant to answer.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import path from "node:path";
import { listenOnLoopback } from "./listen.js";
import { fixturesDir } from "./fake-registry.js";

export interface FakeGitHubRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  status: number;
}

export type GitHubOverride =
  | { status: 403 | 429; rateLimited: true; retryAfterSeconds?: number; times?: number }
  | { status: number; times?: number };

export interface FakeGitHub {
  url: string;
  requests: FakeGitHubRequest[];
  unanswered: string[];
  /** Answer requests whose path starts with `prefix` this way (`times` times, default always). */
  override(prefix: string, override: GitHubOverride): void;
  /** Pull requests opened through this API, with their labels. */
  pulls: { number: number; head: string; base: string; title: string; body: string; draft: boolean; labels: string[]; state: "open" }[];
  /** Issue and pull request comments, as stored; a test may seed others' comments here. */
  comments: FakeComment[];
  /** Commit statuses set through this API, oldest first. */
  statuses: { repo: string; sha: string; state: string; context: string; description: string | null; target_url: string | null }[];
  /** Serve a release list not in fixtures. */
  releases(ownerRepo: string, releases: unknown[]): void;
  close(): Promise<void>;
}

export interface FakeComment {
  id: number;
  /** owner/name */
  repo: string;
  issue: number;
  body: string;
  login: string;
}

const githubDir = path.join(fixturesDir, "github");

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const requests: FakeGitHubRequest[] = [];
  const unanswered: string[] = [];
  const overrides = new Map<string, GitHubOverride & { used: number }>();
  const extraReleases = new Map<string, unknown[]>();

  const fake = { pulls: [] as FakeGitHub["pulls"], comments: [] as FakeComment[], statuses: [] as FakeGitHub["statuses"] };
  const server = createServer((request: IncomingMessage, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      requests.push({ method: request.method ?? "GET", url: request.url ?? "", authorization: request.headers.authorization, status });
      const text = typeof body === "string" ? body : JSON.stringify(body);
      response.writeHead(status, { "content-type": typeof body === "string" ? "text/plain; charset=utf-8" : "application/json; charset=utf-8", ...headers });
      response.end(text);
    };
    for (const [prefix, override] of overrides) {
      if (!url.pathname.startsWith(prefix)) continue;
      if (override.times !== undefined && override.used >= override.times) continue;
      override.used++;
      if ("rateLimited" in override) {
        const reset = Math.floor(Date.now() / 1000) + (override.retryAfterSeconds ?? 3600);
        const headers: Record<string, string> = { "x-ratelimit-limit": "60", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) };
        if (override.retryAfterSeconds !== undefined) headers["retry-after"] = String(override.retryAfterSeconds);
        send(override.status, { message: "API rate limit exceeded", documentation_url: "https://docs.github.com/rest/rate-limit" }, headers);
      } else {
        send(override.status, { message: "Server Error" });
      }
      return;
    }

    const commentsRoute = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(?:(\d+)\/comments|comments\/(\d+))$/.exec(url.pathname);
    if (commentsRoute) return answerComments(`${commentsRoute[1]}/${commentsRoute[2]}`, Number(commentsRoute[3]), Number(commentsRoute[4]));
    const statusRoute = /^\/repos\/([^/]+)\/([^/]+)\/statuses\/([0-9a-f]{40})$/.exec(url.pathname);
    if (statusRoute && request.method === "POST") return answerStatus(`${statusRoute[1]}/${statusRoute[2]}`, statusRoute[3] ?? "");

    const pullsRoute = /^\/repos\/([^/]+)\/([^/]+)(?:\/(pulls|issues)(?:\/(\d+)(\/labels)?)?)?$/.exec(url.pathname);
    if (pullsRoute) return answerPulls(pullsRoute[1] ?? "", pullsRoute[2] ?? "", pullsRoute[3], Number(pullsRoute[4]), pullsRoute[5] !== undefined);

    const releasesRoute = /^\/repos\/([^/]+)\/([^/]+)\/releases$/.exec(url.pathname);
    if (releasesRoute) {
      const ownerRepo = `${releasesRoute[1]}/${releasesRoute[2]}`;
      const all = extraReleases.get(ownerRepo) ?? readJson(path.join(githubDir, ownerRepo.replace("/", "__"), "releases.json"));
      if (!all) return notFound();
      const perPage = Number(url.searchParams.get("per_page") ?? 30);
      const page = Number(url.searchParams.get("page") ?? 1);
      const slice = all.slice((page - 1) * perPage, page * perPage);
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const link: Record<string, string> =
        page < last ? { link: `<http://${request.headers.host}${url.pathname}?per_page=${perPage}&page=${page + 1}>; rel="next"` } : {};
      return send(200, slice, link);
    }

    // The git trees API: every file and folder under contents/, as `?recursive=1` lists them.
    const treesRoute = /^\/repos\/([^/]+)\/([^/]+)\/git\/trees\/([^/]+)$/.exec(url.pathname);
    if (treesRoute) {
      const [, owner = "", repo = ""] = treesRoute;
      const root = path.join(githubDir, `${owner}__${repo}`, "contents");
      if (!existsSync(root)) return notFound();
      const tree: { path: string; mode: string; type: "blob" | "tree"; sha: string; size?: number; url: string }[] = [];
      const walk = (relative: string) => {
        for (const name of readdirSync(path.join(root, relative)).sort()) {
          const itemPath = relative ? `${relative}/${name}` : name;
          const isDir = statSync(path.join(root, itemPath)).isDirectory();
          const sha = "0000000000000000000000000000000000000000";
          tree.push({ path: itemPath, mode: isDir ? "040000" : "100644", type: isDir ? "tree" : "blob", sha, ...(isDir ? {} : { size: statSync(path.join(root, itemPath)).size }), url: `https://api.github.com/repos/${owner}/${repo}/git/${isDir ? "trees" : "blobs"}/${sha}` });
          if (isDir && url.searchParams.get("recursive")) walk(itemPath);
        }
      };
      walk("");
      return send(200, { sha: "0000000000000000000000000000000000000000", url: `https://api.github.com/repos/${owner}/${repo}/git/trees/HEAD`, tree, truncated: false });
    }

    const contentsRoute = /^\/repos\/([^/]+)\/([^/]+)\/contents\/?(.*)$/.exec(url.pathname);
    if (contentsRoute) {
      const [, owner = "", repo = "", rawPath = ""] = contentsRoute;
      const relative = decodeURIComponent(rawPath);
      const local = path.join(githubDir, `${owner}__${repo}`, "contents", relative);
      if (!existsSync(local)) return notFound();
      if (statSync(local).isDirectory()) {
        const listing = readdirSync(local).map((name) => {
          const itemPath = relative ? `${relative}/${name}` : name;
          const isDir = statSync(path.join(local, name)).isDirectory();
          return {
            type: isDir ? "dir" : "file",
            name,
            path: itemPath,
            sha: "0000000000000000000000000000000000000000",
            size: isDir ? 0 : statSync(path.join(local, name)).size,
            url: `https://api.github.com/repos/${owner}/${repo}/contents/${itemPath}?ref=main`,
            html_url: `https://github.com/${owner}/${repo}/${isDir ? "tree" : "blob"}/main/${itemPath}`,
            git_url: null,
            download_url: isDir ? null : `https://raw.githubusercontent.com/${owner}/${repo}/main/${itemPath}`,
            _links: { self: "", git: null, html: null },
          };
        });
        return send(200, listing);
      }
      if (request.headers.accept?.includes("application/vnd.github.raw")) return send(200, readFileSync(local, "utf8"));
      return send(200, { type: "file", encoding: "base64", content: readFileSync(local).toString("base64"), name: path.basename(local), path: relative });
    }
    return notFound();

    // Pull requests as the REST API documents them, enough of each object for Octokit's callers.
    function answerPulls(owner: string, repo: string, kind: string | undefined, number: number, labels: boolean) {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        const input = body ? JSON.parse(body) : {};
        const view = (pull: FakeGitHub["pulls"][number]) => ({
          ...pull,
          id: 1000 + pull.number,
          html_url: `https://github.com/${owner}/${repo}/pull/${pull.number}`,
          head: { ref: pull.head, label: `${owner}:${pull.head}` },
          base: { ref: pull.base },
          labels: pull.labels.map((name) => ({ name })),
        });
        if (!kind && request.method === "GET") return send(200, { id: 1, name: repo, full_name: `${owner}/${repo}`, default_branch: "main", private: false });
        if (kind === "pulls" && !number && request.method === "GET") {
          const head = url.searchParams.get("head")?.split(":")[1];
          return send(200, fake.pulls.filter((pull) => pull.head === head && pull.state === "open").map(view));
        }
        if (kind === "pulls" && !number && request.method === "POST") {
          const pull = { number: fake.pulls.length + 1, head: input.head, base: input.base, title: input.title, body: input.body, draft: input.draft === true, labels: [], state: "open" as const };
          fake.pulls.push(pull);
          return send(201, view(pull));
        }
        const pull = fake.pulls.find((candidate) => candidate.number === number);
        if (!pull) return notFound();
        if (kind === "pulls" && request.method === "PATCH") {
          Object.assign(pull, { title: input.title ?? pull.title, body: input.body ?? pull.body });
          return send(200, view(pull));
        }
        if (kind === "issues" && labels && request.method === "POST") {
          pull.labels = [...new Set([...pull.labels, ...input.labels])];
          return send(200, pull.labels.map((name) => ({ name })));
        }
        return notFound();
      });
    }

    function readBody(then: (input: Record<string, unknown>) => void) {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => then(body ? (JSON.parse(body) as Record<string, unknown>) : {}));
    }

    // Issue comments as the REST API documents them (a pull request's conversation is its issue's).
    function answerComments(repo: string, issue: number, commentId: number) {
      readBody((input) => {
        const view = (comment: FakeComment) => ({
          id: comment.id,
          node_id: `IC_${comment.id}`,
          url: `https://api.github.com/repos/${repo}/issues/comments/${comment.id}`,
          html_url: `https://github.com/${repo}/pull/${comment.issue}#issuecomment-${comment.id}`,
          issue_url: `https://api.github.com/repos/${repo}/issues/${comment.issue}`,
          body: comment.body,
          user: { login: comment.login, id: 41898282, type: comment.login.endsWith("[bot]") ? "Bot" : "User" },
          author_association: "NONE",
          created_at: "2026-01-05T10:00:00Z",
          updated_at: "2026-01-05T10:00:00Z",
        });
        if (issue && request.method === "GET") {
          const perPage = Math.min(100, Number(url.searchParams.get("per_page") ?? 30));
          const page = Number(url.searchParams.get("page") ?? 1);
          const all = fake.comments.filter((comment) => comment.repo === repo && comment.issue === issue);
          const last = Math.max(1, Math.ceil(all.length / perPage));
          const link: Record<string, string> = page < last ? { link: `<http://${request.headers.host}${url.pathname}?per_page=${perPage}&page=${page + 1}>; rel="next"` } : {};
          return send(200, all.slice((page - 1) * perPage, page * perPage).map(view), link);
        }
        if (typeof input.body !== "string" || input.body === "") return unprocessable("body is missing");
        if (issue && request.method === "POST") {
          const comment = { id: 9000 + fake.comments.length + 1, repo, issue, body: input.body, login: "github-actions[bot]" };
          fake.comments.push(comment);
          return send(201, view(comment));
        }
        const comment = fake.comments.find((candidate) => candidate.repo === repo && candidate.id === commentId);
        if (commentId && request.method === "PATCH" && comment) {
          comment.body = input.body;
          return send(200, view(comment));
        }
        return notFound();
      });
    }

    function answerStatus(repo: string, sha: string) {
      readBody((input) => {
        const state = input.state;
        if (state !== "success" && state !== "failure" && state !== "error" && state !== "pending") return unprocessable("state is not one of error, failure, pending, success");
        const status = { repo, sha, state, context: typeof input.context === "string" ? input.context : "default", description: typeof input.description === "string" ? input.description : null, target_url: typeof input.target_url === "string" ? input.target_url : null };
        fake.statuses.push(status);
        const id = fake.statuses.length;
        return send(201, { id, node_id: `SC_${id}`, url: `https://api.github.com/repos/${repo}/statuses/${sha}`, state, description: status.description, target_url: status.target_url, context: status.context, avatar_url: null, created_at: "2026-01-05T10:00:00Z", updated_at: "2026-01-05T10:00:00Z", creator: { login: "github-actions[bot]", id: 41898282, type: "Bot" } });
      });
    }

    // A request GitHub would refuse as invalid: recorded like an unanswered one, so the test fails on it.
    function unprocessable(why: string) {
      unanswered.push(`${request.method} ${request.url} (422: ${why})`);
      send(422, { message: "Validation Failed", errors: [{ message: why }], documentation_url: "https://docs.github.com/rest" });
    }

    function notFound() {
      unanswered.push(`${request.method} ${request.url}`);
      send(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
    }
  });
  const { origin, close } = await listenOnLoopback(server);
  return {
    url: origin,
    requests,
    unanswered,
    pulls: fake.pulls,
    comments: fake.comments,
    statuses: fake.statuses,
    override: (prefix, override) => overrides.set(prefix, { ...override, used: 0 }),
    releases: (ownerRepo, releases) => extraReleases.set(ownerRepo, releases),
    close,
  };
}

function readJson(file: string): unknown[] | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as unknown[];
  } catch {
    return undefined;
  }
}
