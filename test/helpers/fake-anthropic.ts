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
    fallback: undefined,
    script: (...replies: ScriptedReply[]) => queue.push(...replies),
  } as unknown as FakeAnthropic;
  const server = createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk) => (raw += chunk));
    request.on("end", () => {
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
      const text = "text" in reply ? reply.text : JSON.stringify(reply.json);
      const usage = "usage" in reply && reply.usage ? reply.usage : { input: 1200, output: 300 };
      response.writeHead(200, { "content-type": "application/json", "request-id": `req_${++counter}` });
      response.end(
        JSON.stringify({
          id: `msg_${counter}`,
          type: "message",
          role: "assistant",
          model: body.model,
          content: [{ type: "text", text, citations: null }],
          stop_reason: "end_turn",
          stop_sequence: null,
          usage: {
            input_tokens: usage.input,
            output_tokens: usage.output,
            cache_creation_input_tokens: usage.cacheWrite ?? 0,
            cache_read_input_tokens: usage.cacheRead ?? 0,
            server_tool_use: null,
            service_tier: "standard",
          },
        }),
      );
    });
  });
  const { origin, close } = await listenOnLoopback(server);
  fake.url = origin;
  fake.close = close;
  return fake;
}
