// The HTTP embedder against a real embedding service on loopback: a tiny node:http server that
// speaks both OpenAI's /v1/embeddings and Ollama's /api/embed, answers with a hashed bag of
// words in 16 dimensions (deterministic, and close for texts that share words), records every
// request, and misbehaves on cue.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createHttpEmbedder,
  EmbedderError,
  resolveHttpEmbedderEndpoint,
  type HttpEmbedderOptions,
} from "../../search/matcher/http-embedder";

const DIMS = 16;
const API_KEY = "sk-samskab-test-9f8e7d6c5b4a";

type Behaviour = "normal" | "fail-500" | "fail-500-once" | "slow" | "wrong-dimension" | "one-too-few" | "html" | "echo-key-400";

interface SeenRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  input: string[];
}

let server: http.Server;
let baseUrl: string;
let behaviour: Behaviour = "normal";
let failuresLeft = 0;
const seen: SeenRequest[] = [];

/** The service's "model": counts of hashed words, scaled by 3 so the client must normalise. */
function bagOfWords(text: string, dims = DIMS): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean)) {
    let h = 0x811c9dc5; // FNV-1a
    for (const ch of word) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
    v[h % dims]! += 3;
  }
  return v;
}

function unit(v: number[]): number[] {
  const norm = Math.hypot(...v);
  return norm === 0 ? v : v.map((x) => x / norm);
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot; // both unit length
}

function send(res: http.ServerResponse, status: number, body: unknown, contentType = "application/json") {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string) {
  const path = new URL(req.url ?? "/", "http://x").pathname;
  const flavour = path.endsWith("/v1/embeddings") ? "openai" : path.endsWith("/api/embed") ? "ollama" : undefined;
  if (req.method !== "POST" || !flavour) return send(res, 404, { error: "not found" });
  const body = JSON.parse(raw) as { model: string; input: string[] };
  seen.push({ method: req.method, path, authorization: req.headers.authorization, input: body.input });

  if (behaviour === "fail-500" || (behaviour === "fail-500-once" && failuresLeft-- > 0)) {
    // Echoes the credentials, as a careless proxy might: the client must not repeat them.
    return send(res, 500, { error: { message: `model crashed (auth was ${req.headers.authorization ?? "none"})` } });
  }
  if (behaviour === "echo-key-400") return send(res, 400, `bad request from ${req.headers.authorization}`, "text/plain");
  if (behaviour === "html") return send(res, 200, "<html><body>Gateway says hello</body></html>", "text/html");

  let vectors = body.input.map((t) => bagOfWords(t, behaviour === "wrong-dimension" ? DIMS - 1 : DIMS));
  if (behaviour === "one-too-few") vectors = vectors.slice(1);
  const answer =
    flavour === "openai"
      ? // Reversed on purpose: the client must order by index, not by position.
        { object: "list", model: body.model, data: vectors.map((embedding, index) => ({ object: "embedding", embedding, index })).reverse() }
      : { model: body.model, embeddings: vectors };

  if (behaviour === "slow") {
    const timer = setTimeout(() => send(res, 200, answer), 1_000);
    res.on("close", () => clearTimeout(timer));
    return;
  }
  send(res, 200, answer);
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handle(req, res, Buffer.concat(chunks).toString("utf8")));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  behaviour = "normal";
  seen.length = 0;
});
afterEach(() => {
  behaviour = "normal";
});

const embedder = (overrides: Partial<HttpEmbedderOptions> = {}) =>
  createHttpEmbedder({ url: `${baseUrl}/v1`, model: "test-bow-16", ...overrides });

/** The error a promise rejects with, checked to be an EmbedderError. */
async function embedderError(promise: Promise<unknown>): Promise<EmbedderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EmbedderError);
  return error as EmbedderError;
}

const texts = [
  "cykelsti langs havnen i Sydhavnen",
  "madskole for unge i skolekøkken",
  "ny cykelsti ved havnen",
  "skolekøkken og madskole for familier",
];

describe.each([
  { api: "openai" as const, url: () => `${baseUrl}/v1`, path: "/v1/embeddings" },
  { api: "ollama" as const, url: () => `${baseUrl}/api`, path: "/api/embed" },
])("the $api API", ({ api, url, path }) => {
  it("probes the dimensions once and names model and dimensions in the version", async () => {
    const e = await createHttpEmbedder({ url: url(), model: "test-bow-16", api });
    expect(e.dimensions).toBe(DIMS);
    expect(e.version).toBe(`http:${api}:test-bow-16:${DIMS}`);
    expect(seen).toEqual([{ method: "POST", path, authorization: undefined, input: ["dimensions probe"] }]);
  });

  it("gives unit vectors of the probed dimension, in the order of the texts", async () => {
    const e = await createHttpEmbedder({ url: url(), model: "test-bow-16", api });
    const vectors = await e.embed(texts);
    expect(vectors).toHaveLength(texts.length);
    vectors.forEach((v, i) => {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(DIMS);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
      unit(bagOfWords(texts[i]!)).forEach((x, d) => expect(v[d]).toBeCloseTo(x, 5));
    });
    // Texts about the same things are closer than unrelated ones; a shuffled answer would not be.
    const [bike, food, bike2, food2] = vectors as [Float32Array, Float32Array, Float32Array, Float32Array];
    expect(cosine(bike, bike2)).toBeGreaterThan(cosine(bike, food2));
    expect(cosine(food, food2)).toBeGreaterThan(cosine(food, bike2));
  });

  it("defaults to this API from the URL's path", async () => {
    const e = await createHttpEmbedder({ url: url(), model: "m" });
    expect(e.version.startsWith(`http:${api}:`)).toBe(true);
    expect(seen[0]?.path).toBe(path);
  });
});

describe("the HTTP embedder", () => {
  it("adds the API path to a bare URL and never doubles /v1 or /api", () => {
    const cases: Array<[string, "openai" | "ollama" | undefined, string, string]> = [
      ["http://localhost:8080", undefined, "openai", "http://localhost:8080/v1/embeddings"],
      ["http://localhost:8080/", undefined, "openai", "http://localhost:8080/v1/embeddings"],
      ["http://localhost:8080/v1", undefined, "openai", "http://localhost:8080/v1/embeddings"],
      ["http://localhost:8080/v1/", undefined, "openai", "http://localhost:8080/v1/embeddings"],
      ["https://gateway.example/llm/v1", undefined, "openai", "https://gateway.example/llm/v1/embeddings"],
      ["http://localhost:11434", undefined, "ollama", "http://localhost:11434/api/embed"],
      ["http://localhost:11434/api", undefined, "ollama", "http://localhost:11434/api/embed"],
      ["http://ollama.internal/api/", undefined, "ollama", "http://ollama.internal/api/embed"],
      ["http://ollama.internal", "ollama", "ollama", "http://ollama.internal/api/embed"],
      ["http://localhost:11434", "openai", "openai", "http://localhost:11434/v1/embeddings"],
    ];
    for (const [url, api, expectedApi, endpoint] of cases) {
      const resolved = resolveHttpEmbedderEndpoint(url, api);
      expect({ url, api: resolved.api, endpoint: resolved.endpoint.href }).toEqual({ url, api: expectedApi, endpoint });
    }
  });

  it("returns nothing for no texts without asking the service", async () => {
    const e = await embedder();
    seen.length = 0;
    expect(await e.embed([])).toEqual([]);
    expect(seen).toEqual([]);
  });

  it("splits 150 texts into batches of 64, 64 and 22, keeping the order across batches", async () => {
    const e = await embedder();
    seen.length = 0;
    const many = Array.from({ length: 150 }, (_, i) => `tekst ${i} om ${["cykler", "mad", "skole", "havn", "grønne tage"][i % 5]} nr${i}`);
    const vectors = await e.embed(many);
    expect(seen.map((r) => r.input.length)).toEqual([64, 64, 22]);
    expect(seen.flatMap((r) => r.input)).toEqual(many);
    expect(vectors).toHaveLength(150);
    vectors.forEach((v, i) => unit(bagOfWords(many[i]!)).forEach((x, d) => expect(v[d]).toBeCloseTo(x, 5)));
  });

  it("honours a smaller batchSize", async () => {
    const e = await embedder({ batchSize: 2, api: "ollama", url: baseUrl });
    seen.length = 0;
    await e.embed(texts.concat("en til"));
    expect(seen.map((r) => r.input.length)).toEqual([2, 2, 1]);
  });

  it("sends the API key as a Bearer token, and no Authorization header without one", async () => {
    const withKey = await embedder({ apiKey: API_KEY });
    await withKey.embed(["hej"]);
    const withOllamaKey = await createHttpEmbedder({ url: `${baseUrl}/api`, model: "m", apiKey: API_KEY });
    await withOllamaKey.embed(["hej"]);
    expect(seen.map((r) => r.authorization)).toEqual(Array(4).fill(`Bearer ${API_KEY}`));

    seen.length = 0;
    await (await embedder()).embed(["hej"]);
    expect(seen.map((r) => r.authorization)).toEqual([undefined, undefined]);
  });

  it("retries a batch once after a 500, and succeeds if the retry does", async () => {
    const e = await embedder();
    seen.length = 0;
    behaviour = "fail-500-once";
    failuresLeft = 1;
    const [v] = await e.embed(["cykelsti"]);
    expect(seen).toHaveLength(2);
    expect(v!.length).toBe(DIMS);
  });

  it("retries a 500 once, then throws an EmbedderError naming the service and the status", async () => {
    const e = await embedder({ apiKey: API_KEY });
    seen.length = 0;
    behaviour = "fail-500";
    const error = await embedderError(e.embed(["cykelsti"]));
    expect(seen).toHaveLength(2);
    expect(error.kind).toBe("http");
    expect(error.status).toBe(500);
    expect(error.url).toBe(`${baseUrl}/v1/embeddings`);
    expect(error.message).toContain(`${baseUrl}/v1/embeddings`);
    expect(error.message).toMatch(/HTTP 500/);
    expect(error.message).toMatch(/model crashed/);
  });

  it("does not retry a 4xx", async () => {
    const e = await embedder();
    seen.length = 0;
    behaviour = "echo-key-400";
    const error = await embedderError(e.embed(["cykelsti"]));
    expect(seen).toHaveLength(1);
    expect(error.status).toBe(400);
  });

  it("throws when the answer takes longer than timeoutMs, without retrying", async () => {
    const e = await embedder({ timeoutMs: 200 });
    seen.length = 0;
    behaviour = "slow";
    const started = Date.now();
    const error = await embedderError(e.embed(["cykelsti"]));
    expect(Date.now() - started).toBeLessThan(900);
    expect(error.kind).toBe("timeout");
    expect(error.message).toMatch(/no answer within 200 ms/);
    expect(seen).toHaveLength(1);
    // The embedder still works once the service is quick again.
    behaviour = "normal";
    expect(await e.embed(["cykelsti"])).toHaveLength(1);
  });

  it("throws when a vector has another dimension than the probe showed", async () => {
    for (const api of ["openai", "ollama"] as const) {
      const e = await createHttpEmbedder({ url: baseUrl, model: "m", api });
      behaviour = "wrong-dimension";
      const error = await embedderError(e.embed(texts));
      expect(error.kind).toBe("response");
      expect(error.message).toMatch(/vector 0 has 15 dimensions, expected 16/);
      behaviour = "normal";
    }
  });

  it("throws when the service returns fewer vectors than texts", async () => {
    for (const api of ["openai", "ollama"] as const) {
      const e = await createHttpEmbedder({ url: baseUrl, model: "m", api });
      behaviour = "one-too-few";
      const error = await embedderError(e.embed(texts));
      expect(error.message).toMatch(/sent 4 texts but got 3 vectors back/);
      behaviour = "normal";
    }
  });

  it("throws when the answer is not JSON", async () => {
    const e = await embedder();
    behaviour = "html";
    const error = await embedderError(e.embed(["cykelsti"]));
    expect(error.kind).toBe("response");
    expect(error.message).toMatch(/not JSON \(text\/html\)/);
  });

  it("fails at start-up when nothing listens, after one retry", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await embedderError(createHttpEmbedder({ url: `http://127.0.0.1:${port}`, model: "m", apiKey: API_KEY }));
    expect(error.kind).toBe("network");
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).toContain(`http://127.0.0.1:${port}/v1/embeddings`);
    expect(error.message).not.toContain(API_KEY);
  });

  it("never puts the API key or URL credentials in an error message, even when the service echoes them", async () => {
    const messages: string[] = [];
    const credentialed = baseUrl.replace("http://", "http://portal:url-secret-pw@");
    for (const b of ["fail-500", "echo-key-400", "slow", "wrong-dimension", "html"] as const) {
      for (const url of [`${baseUrl}/v1`, `${credentialed}/v1?key=${API_KEY}`]) {
        const e = await createHttpEmbedder({ url, model: "m", apiKey: API_KEY, timeoutMs: 200 });
        behaviour = b;
        const error = await embedderError(e.embed(["cykelsti"]));
        messages.push(error.message, error.url, String(error), error.stack ?? "");
        behaviour = "normal";
      }
    }
    expect(messages.length).toBe(40);
    // The server did see the key (and echoed it back in its error bodies).
    expect(seen.some((r) => r.authorization === `Bearer ${API_KEY}`)).toBe(true);
    for (const m of messages) {
      expect(m).not.toContain(API_KEY);
      expect(m).not.toContain("url-secret-pw");
      expect(m).not.toContain("portal:");
    }
    expect(messages.some((m) => m.includes("[redacted]"))).toBe(true);
  });

  it("rejects an invalid URL without repeating it", async () => {
    const error = await embedderError(createHttpEmbedder({ url: `not a url ${API_KEY}`, model: "m" }));
    expect(error.kind).toBe("config");
    expect(error.message).not.toContain(API_KEY);
  });
});
