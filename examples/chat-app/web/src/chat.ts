// Edge route of the web front end: streams an answer from Anthropic through the Vercel AI SDK.
import { anthropic } from "@ai-sdk/anthropic";
import { streamText } from "ai";

export async function POST(request: Request): Promise<Response> {
  const { prompt } = (await request.json()) as { prompt: string };
  const result = streamText({ model: anthropic("claude-3-5-haiku-20241022"), prompt });
  return result.toDataStreamResponse();
}
