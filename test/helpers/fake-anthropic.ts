// A local Anthropic Messages API (POST /v1/messages) that answers with scripted replies shaped as the
// SDK's `Message` type documents, or with the API's documented errors (429 rate_limit_error with
// retry-after, 529 overloaded_error, 500 api_error), or not at all (to exercise timeouts).
import { createServer } from "node:http";
import { listenOnLoopback } from "./listen.js";

export type ScriptedReply =
  | { json: unknown; usage?: { input: number; output: number; cacheRead?: number; cacheWrite?: number } }
  | { text: string }
  | { error: 429 | 500 | 529; retryAfterSeconds?: number }
  | { hang: true };

export interface FakeAnthropic {
  /** Base URL for ANTHROPIC_BASE_URL. */
  url: string;
  /** Request bodies in arrival order. */
  requests: { model: string; system: unknown; messages: { role: string; content: string }[]; output_config?: unknown }[];
  /** Message Batches created, with their requests. */
  batches: { id: string; requests: { custom_id: string; params: FakeAnthropic["requests"][number] }[] }[];
  /** Replies are used in order; when they run out, `fallback` answers. */
  script(...replies: ScriptedReply[]): void;
  fallback: ((body: FakeAnthropic["requests"][number]) => ScriptedReply) | undefined;
  close(): Promise<void>;
}

const errorTypes = { 429: "rate_limit_error", 500: "api_error", 529: "overloaded_error" } as const;

export async function startFakeAnthropic(): Promise<FakeAnthropic> {
  const queue: ScriptedReply[] = [];
  let counter = 0;
  const fake = {
    requests: [],
    batches: [],
    fallback: undefined,
    script: (...replies: ScriptedReply[]) => queue.push(...replies),
  } as unknown as FakeAnthropic;
  const server = createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk) => (raw += chunk));
    request.on("end", () => {
      const batchRoute = /^\/v1\/messages\/batches(?:\/([\w-]+)(\/results)?)?$/.exec(request.url ?? "");
      if (batchRoute) return answerBatch(request.method ?? "GET", batchRoute[1], batchRoute[2] !== undefined, raw, response);
      if (request.method !== "POST" || !request.url?.startsWith("/v1/messages")) {
        response.writeHead(404, { "content-type": "application/json" });
        response.end(JSON.stringify({ type: "error", error: { type: "not_found_error", message: "Not found" } }));
        return;
      }
      const body = JSON.parse(raw);
      fake.requests.push(body);
      const reply = queue.shift() ?? fake.fallback?.(body) ?? { error: 500 };
      if ("hang" in reply) return;
      if ("error" in reply) {
        const headers: Record<string, string> = { "content-type": "application/json", "request-id": `req_${++counter}` };
        if (reply.retryAfterSeconds !== undefined) headers["retry-after"] = String(reply.retryAfterSeconds);
        response.writeHead(reply.error, headers);
        response.end(JSON.stringify({ type: "error", error: { type: errorTypes[reply.error], message: "scripted failure" } }));
        return;
      }
      response.writeHead(200, { "content-type": "application/json", "request-id": `req_${++counter}` });
      response.end(JSON.stringify(message(reply, body.model)));
    });
  });

  function message(reply: ScriptedReply, model: string) {
    const text = "text" in reply ? reply.text : "json" in reply ? JSON.stringify(reply.json) : "";
    const usage = "usage" in reply && reply.usage ? reply.usage : { input: 1200, output: 300 };
    return {
      id: `msg_${++counter}`,
      type: "message",
      role: "assistant",
      model,
      content: [{ type: "text", text, citations: null }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: {
        input_tokens: usage.input,
        output_tokens: usage.output,
        cache_creation_input_tokens: usage.cacheWrite ?? 0,
        cache_read_input_tokens: usage.cacheRead ?? 0,
        server_tool_use: null,
        service_tier: "batch",
      },
    };
  }

  // The Message Batches API: created in_progress, ended at the first poll, results as JSONL.
  function answerBatch(method: string, id: string | undefined, results: boolean, raw: string, response: import("node:http").ServerResponse) {
    const batchObject = (batchId: string, ended: boolean) => ({
      id: batchId,
      type: "message_batch",
      processing_status: ended ? "ended" : "in_progress",
      request_counts: { processing: ended ? 0 : 1, succeeded: ended ? 1 : 0, errored: 0, canceled: 0, expired: 0 },
      created_at: "2026-11-23T00:00:00Z",
      expires_at: "2026-11-24T00:00:00Z",
      ended_at: ended ? "2026-11-23T00:01:00Z" : null,
      archived_at: null,
      cancel_initiated_at: null,
      results_url: ended ? `${fake.url}/v1/messages/batches/${batchId}/results` : null,
    });
    response.setHeader("content-type", "application/json");
    if (method === "POST" && !id) {
      const batch = { id: `msgbatch_${fake.batches.length + 1}`, requests: JSON.parse(raw).requests };
      fake.batches.push(batch);
      response.end(JSON.stringify(batchObject(batch.id, false)));
      return;
    }
    const batch = fake.batches.find((candidate) => candidate.id === id);
    if (!batch) {
      response.statusCode = 404;
      response.end(JSON.stringify({ type: "error", error: { type: "not_found_error", message: "no such batch" } }));
      return;
    }
    if (!results) {
      response.end(JSON.stringify(batchObject(batch.id, true)));
      return;
    }
    response.setHeader("content-type", "application/binary");
    const lines = batch.requests.map((entry) => {
      const reply = queue.shift() ?? fake.fallback?.(entry.params) ?? { error: 500 };
      const result = "json" in reply || "text" in reply
        ? { type: "succeeded", message: message(reply, entry.params.model) }
        : { type: "errored", error: { type: "error", error: { type: "api_error", message: "scripted failure" } } };
      return JSON.stringify({ custom_id: entry.custom_id, result });
    });
    response.end(`${lines.join("\n")}\n`);
  }
  const { origin, close } = await listenOnLoopback(server);
  fake.url = origin;
  fake.close = close;
  return fake;
}
