import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitHubClient } from "../../src/github/client.js";
import { setCommitStatus, upsertComment } from "../../src/github/comment.js";
import { type FakeGitHub, startFakeGitHub } from "../helpers/fake-github.js";

let github: FakeGitHub;
beforeEach(async () => {
  github = await startFakeGitHub();
});
afterEach(() => github.close());

const marker = "<!-- bumpwise -->";
const client = () => createGitHubClient({ token: "ghs_test", baseUrl: github.url, retries: 0 });

describe("upsertComment", () => {
  it("finds its comment on a later page of a busy pull request and updates it", async () => {
    for (let index = 1; index <= 150; index++) github.comments.push({ id: index, repo: "acme/app", issue: 7, body: index === 130 ? `${marker}\nold` : `comment ${index}`, login: "octocat" });
    const result = await upsertComment(client(), { owner: "acme", repo: "app", number: 7, marker, body: `${marker}\nnew` });
    expect(result).toEqual({ id: 130, url: "https://github.com/acme/app/pull/7#issuecomment-130", created: false });
    expect(github.comments.find((comment) => comment.id === 130)?.body).toBe(`${marker}\nnew`);
    expect(github.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      "GET /repos/acme/app/issues/7/comments?per_page=100&page=1",
      "GET /repos/acme/app/issues/7/comments?per_page=100&page=2",
      "PATCH /repos/acme/app/issues/comments/130",
    ]);
    expect(github.unanswered).toEqual([]);
  });

  it("posts when no comment carries the marker, and a status with GitHub's 140-character description limit", async () => {
    const created = await upsertComment(client(), { owner: "acme", repo: "app", number: 8, marker, body: `${marker}\nfirst` });
    expect(created.created).toBe(true);
    await setCommitStatus(client(), { owner: "acme", repo: "app", sha: "b".repeat(40), state: "failure", context: "bumpwise", description: "x".repeat(200) });
    expect(github.statuses[0]).toMatchObject({ state: "failure", context: "bumpwise" });
    expect(github.statuses[0]?.description).toHaveLength(140);
    expect(github.unanswered).toEqual([]);
  });

  it("a request the fake does not answer is recorded, so the test can fail on it", async () => {
    await expect(client().request("GET /repos/{owner}/{repo}/check-runs", { owner: "acme", repo: "app" })).rejects.toMatchObject({ status: 404 });
    expect(github.unanswered).toEqual(["GET /repos/acme/app/check-runs"]);
  });
});
