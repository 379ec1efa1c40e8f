/**
 * Grow the AI catalog from the package registries' own metadata instead of from memory (issue 15).
 *
 * Reads the offline registry snapshots (`pypi.tsv`: name, version, month, rank among the 15,000
 * most downloaded, summary; `npm.tsv`: name, version, downloads a month, summary) and keeps a
 * package when it is popular AND its summary (or, for a summary that says nothing, its name)
 * uses AI vocabulary. Writes `rules/ai-catalog/pypi-registry.yaml` and `npm-registry.yaml`, a
 * lower layer under the hand-written files: `loadAiCatalog` drops a generated entry whenever a
 * hand-written one answers the same name, and this script leaves such names out to begin with.
 *
 *   node --import tsx scripts/ai-catalog-from-registries.ts && npx biome format --write rules/ai-catalog/*-registry.yaml
 *   node --import tsx scripts/ai-catalog-from-registries.ts --review   # print selected and excluded, write nothing
 *
 * Options: `--lists DIR` (default /usr/share/package-lists), `--out DIR` (default rules/ai-catalog),
 * `--npm-min N` downloads a month (default 5000).
 *
 * Thresholds. PyPI: every package with a rank (the snapshot ranks the 15,000 most downloaded;
 * nothing else carries a popularity figure). npm: 5,000 downloads a month. The npm snapshot
 * stops at about 580 a month, the floor that registry mirrors and scanners give any package by
 * downloading each release; 5,000 is about ten times that floor, where installs by people start
 * to dominate. MCP servers that labelled repositories declare sit just above it (figma-mcp 5,465,
 * @mseep/linear-mcp 5,704 a month). `maven-partial.tsv` and `go-partial.tsv` are not used: they
 * list a few names with neither summaries nor popularity, and what they hold is hand-written.
 *
 * Policy for borderline packages, from LABELS.md and how rounds 1–6 were labelled:
 *   - counted (kept): ML frameworks, classic ML included (torch, tensorflow, keras, scikit-learn,
 *     xgboost, lightgbm — scikit-learn is an `sdks` label in four manifests), Hugging Face
 *     `datasets`/`evaluate` (labelled sdks), tokenizers, embeddings, evals and LLM observability
 *     (langfuse, langsmith, opik, weave, braintrust are labelled sdks), NLP libraries with models
 *     (spacy is labelled), speech and vision model libraries, MCP SDKs and MCP server packages,
 *     vector stores. "JAX" alone does not count: most JAX libraries are numerics (diffrax,
 *     jaxtyping); jax itself is hand-written.
 *   - left out (labelled `uncertain` or non-AI there, so never reported as AI from registry
 *     words alone): experiment trackers other than the hand-written wandb (mlflow, tensorboard,
 *     comet, neptune, clearml, aim, trackio), ML platforms and compute orchestration (metaflow,
 *     kubeflow, zenml, skypilot, modal), search APIs built for agents (tavily, exa, firecrawl),
 *     document and JSON converters for LLM input/output (unstructured, markitdown, docling,
 *     partial-json), code sandboxes (e2b, daytona), demo and chat UIs (gradio, streamlit,
 *     assistant-ui-like components), numerics and data tools (numpy, scipy, pandas, einops),
 *     distributed compute and RL environments (ray, gymnasium), CUDA runtime wheels, device speech
 *     APIs, infrastructure-as-code constructs, type stubs. A hand-written entry still wins over
 *     this list (docling, firecrawl-py and @modelcontextprotocol/inspector are hand-written).
 *   EXCLUDED below lists each with its reason; `--review` prints what each pattern drops.
 *
 * Imports. Generated PyPI entries get none: a distribution name says little about its module
 * (PEP 503 name → module guesses shadow first-party modules), and the gain is the package
 * declared in a manifest. Generated npm entries import as their own name, which is how npm
 * resolves a specifier.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parseYamlSource, validateYaml } from "../src/core/index.js";
import { type AiCatalog, type Ecosystem, SdkCatalogFileSchema, type SdkEntry } from "../src/scan/code/catalog.js";
import { createSdkIndex } from "../src/scan/code/sdk-index.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const COMMAND = "node --import tsx scripts/ai-catalog-from-registries.ts";

type Category =
  | "provider"
  | "local-inference"
  | "ml-framework"
  | "orchestration"
  | "agents"
  | "gateway"
  | "mcp"
  | "vector-store"
  | "tooling";

/** One AI term: where it may match (summary, name tokens) and the category it suggests. */
interface Term {
  id: string;
  /** Summary patterns; several when some words are case-sensitive (`RAG`, `AI`, `ML`). */
  summary?: RegExp[];
  /** Matches a name split into tokens on `-_./@`, e.g. `["langchain", "openai"]`. */
  name?: (tokens: string[], name: string) => boolean;
  category: Category;
}

const has =
  (...words: string[]) =>
  (tokens: string[]) =>
    words.some((w) => tokens.includes(w));

/**
 * The vocabulary, most specific category first (the first term that matches decides the category).
 * Ambiguous words only count in the phrases written here: "inference" only as model/LLM inference
 * or an inference server, "transformer" only as the model architecture, "embedding" only as
 * embeddings of text or vectors, "prompt" only as LLM prompts, "agent" only as AI agents.
 */
const TERMS: Term[] = [
  {
    id: "MCP",
    summary: [/\bMCP\b/, /model[ -]?context[ -]?protocol|modelcontextprotocol/i],
    name: has("mcp", "modelcontextprotocol"),
    category: "mcp",
  },
  {
    id: "vector database",
    summary: [
      /\bvector[ -]?(database|db|store|stores|search|similarity search|index)\b|\b(pgvector|qdrant|weaviate|pinecone|milvus|chroma ?db|lancedb|faiss)\b/i,
    ],
    name: has("pgvector", "qdrant", "weaviate", "pinecone", "milvus", "chromadb", "lancedb", "faiss", "vectordb"),
    category: "vector-store",
  },
  {
    id: "LLM gateway",
    summary: [/\b(LLM|AI|model) (gateway|proxy|router)\b/i],
    category: "gateway",
  },
  {
    id: "AI agents",
    summary: [
      /\b(AI|LLM|autonomous|intelligent|conversational|multi-?agent|language) agents?\b|\bagentic\b|\bagents? (framework|SDK|toolkit|orchestration)\b|\bmulti-?agent\b/i,
    ],
    name: has("agentic", "crewai", "smolagents"),
    category: "agents",
  },
  {
    id: "ML framework",
    summary: [
      /\b(py-?torch|tensorflow|keras|scikit-learn|sklearn|xgboost|lightgbm|catboost|deep[ -]learning|neural[ -]networks?|machine[ -]learning|reinforcement learning)\b/i,
      /\bML\b/,
    ],
    name: (t, n) =>
      has("torch", "tensorflow", "keras", "sklearn", "xgboost", "lightgbm")(t) || /^(torch|tensorflow)/.test(n),
    category: "ml-framework",
  },
  {
    id: "inference",
    summary: [
      /\b(model|LLM|ML|neural|DL|AI|GPU|deep learning|on-device|local) inference\b|\binference (server|engine|runtime|API|endpoints?|serving)\b|\b(model|LLM) serving\b|\bONNX\b|\bTensorRT\b|\bGGUF\b|\bllama\.?cpp\b/i,
    ],
    name: has("onnx", "onnxruntime", "vllm", "gguf", "tensorrt", "ggml"),
    category: "local-inference",
  },
  {
    id: "transformer models",
    summary: [
      /\btransformers? (models?|architecture|library|language models?)\b|\bHugging ?Face\b|🤗|\b(vision|sentence|pretrained|pre-trained) transformers?\b|\btransformer-based\b|\bBERT\b|\bdiffusion models?\b|\bstable[ -]diffusion\b|\bdiffusers\b/i,
    ],
    name: has("transformers", "diffusers", "huggingface", "hf", "bert", "diffusion"),
    category: "local-inference",
  },
  {
    id: "speech/vision models",
    summary: [
      /\b(speech[ -]to[ -]text|text[ -]to[ -]speech|speech recognition|speech synthesis|voice cloning|computer vision|object detection|image classification|image segmentation|pose estimation|face recognition)\b/i,
      /\b(ASR|TTS|Whisper)\b/,
    ],
    category: "local-inference",
  },
  {
    id: "LLM",
    summary: [
      /\bLLMs?\b|\blarge[ -]language[ -]models?\b|\blanguage models?\b|\bfoundation models?\b|\bgenerative AI\b|\bgen ?AI\b|\b(Chat)?GPT(-?\d[\w.-]*)?s?\b|\bOpenAI\b|\bAnthropic\b|\bClaude\b|\bGemini\b|\bMistral\b|\bOllama\b|\bLangChain\b|\bLlamaIndex\b|\bLlama ?\d?\b|\bchat completions?\b|\bretrieval[ -]augmented\b/i,
      /\bGroq\b/, // the inference provider; GROQ in capitals is Sanity's query language
      // AI products and vendors whose name is not an ordinary word (a summary often says only
      // "client library for the Groq API").
      /\b(Portkey|Cohere|DeepSeek|Perplexity|LangSmith|LangGraph|Langfuse|LlamaCloud|LlamaParse|DSPy|CrewAI|AutoGen|Semantic Kernel|tiktoken|Weights (&|and) Biases|Vertex AI|Amazon Bedrock|AWS Bedrock|Bedrock Runtime|SageMaker|watsonx|Azure OpenAI|Together (AI|API)|Fireworks (AI|API)|Voyage AI|ElevenLabs|OpenRouter)\b/i,
      /\bRAG\b/,
    ],
    name: has(
      "llm",
      "llms",
      "openai",
      "anthropic",
      "claude",
      "gemini",
      "mistral",
      "mistralai",
      "ollama",
      "langchain",
      "llamaindex",
      "gpt",
      "chatgpt",
      "genai",
      "rag",
      "litellm",
    ),
    category: "orchestration",
  },
  {
    id: "AI tooling",
    summary: [
      /\b(text|word|sentence|vector|dense|sparse|multimodal|image) embeddings?\b|\bembeddings\b|\bembedding models?\b|\b(BPE|subword|text|LLM|GPT|BERT|tiktoken|sentencepiece) tokeni[sz]ers?\b|\bparameter-efficient fine-tuning\b|\bdense vectors?\b|\bflash attention\b|\btokeni[sz]ers? for\b.*\b(models?|LLMs?|NLP)\b|\bfine-?tun\w* (LLMs?|(large )?(language )?models?|transformers?|embeddings?)\b|\b(LLM|model|instruction) fine-?tun\w*\b|\bprompt (engineering|templates?|management|optimi[sz]ation|injection)\b|\b(LLM|AI) (evals?|evaluation|observability|tracing|guardrails?|safety)\b|\bguardrails?\b|\bhallucinations?\b|\brerank(er|ers|ing)?\b|\bsemantic (search|similarity)\b|\bnatural language processing\b|\bartificial intelligence\b/i,
      /\b(NLP|LoRA|QLoRA)\b/,
      // "AI" alone names a product line as often as a technique ("AI-powered editor", "Kontent.ai"):
      // it counts only as the thing a package is an SDK, API, model or framework for.
      /\bAI (SDKs?|models?|APIs?|frameworks?|library|toolkit|providers?|platform|agents?|inference|applications?|apps?|services?|capabilities|gateway|integrations?|workflows?|engineering|workloads|compute|infrastructure|runtime|memory|search|evals?|evaluations?|observability)\b|\bfor (AI|generative AI)\b/,
    ],
    name: has("embeddings", "tokenizers", "tiktoken", "sentencepiece", "nlp"),
    category: "tooling",
  },
];

/** Name tokens that decide on their own, whatever the summary says. */
const STRONG_NAME_TOKENS = new Set([
  "torch",
  "pytorch",
  "tensorflow",
  "keras",
  "onnx",
  "onnxruntime",
  "vllm",
  "llm",
  "llms",
  "langchain",
  "llamaindex",
]);

/**
 * Phrases that contain an AI word without meaning AI; they are removed from a summary before the
 * vocabulary is matched (the package can still match on its other words).
 */
const NOT_AI_PHRASES: { phrase: RegExp; why: string }[] = [
  {
    phrase:
      /\b(user|ssh|gpg|http|https|proxy|socks|keep-?alive|browser|build|deploy(ment)?|monitoring|apm|datadog|new relic|elastic|fleet|puppet|zabbix|jenkins|teamcity|buildkite|consul|tunnel|undici|node) ?-?agents?\b/gi,
    why: "user agents, SSH/HTTP/proxy agents, CI and monitoring agents",
  },
  { phrase: /\b(type|types|schema|shape) inference\b/gi, why: "type inference" },
  {
    phrase:
      /\b(cli|command[ -]line|interactive|terminal|shell|console|password|confirm(ation)?|user|input|readline) prompts?\b/gi,
    why: "interactive command-line prompts",
  },
  {
    phrase:
      /\b(babel|ast|code|source|jest|typescript|ts|graphql|css|postcss|svg|json|stream|data|object|text|markdown|html|string|webpack|metro|vite|esbuild|swc) ?-?transform(er|ers|s|ation)?\b/gi,
    why: "code, AST and data transformers",
  },
  { phrase: /\bGUID partition table( \(GPT\))?|\bGPT (partition|disk|header)s?\b/gi, why: "GPT partition tables" },
  {
    phrase: /\bOpen Whisper Systems\b|\bWhisper messaging\b/gi,
    why: "Signal's Open Whisper Systems, Ethereum's Whisper protocol",
  },
  { phrase: /\bgemini (protocol|capsule)s?\b/gi, why: "the Gemini internet protocol" },
  { phrase: /\bML-(DSA|KEM)\b/g, why: "post-quantum signature and key schemes (FIPS 203/204)" },
  {
    phrase: /\b(AI|LLM|agent)[ -](friendly|ready|native|first)\b|\bAI-agent-friendly\b|\bngrok agent\b/gi,
    why: "tools that only say they suit AI or agents",
  },
  { phrase: /\bNLP solver\b/gi, why: "NLP meaning nonlinear programming" },
];

/**
 * Packages the vocabulary selects that are not AI packages under LABELS.md (or were labelled
 * `uncertain` in rounds 1–6, which this catalog does not claim either way). Each pattern matches
 * the whole name (`*` = any run of characters) and gives its reason.
 */
const EXCLUDED: { ecosystem: Ecosystem; names: string[]; why: string }[] = [
  // Policy: classes labelled `uncertain` (or not AI) in rounds 1-6.
  {
    ecosystem: "pypi",
    names: [
      "mlflow",
      "mlflow-*",
      "tensorboard",
      "tensorboard-*",
      "tensorboardx",
      "comet-ml",
      "neptune-client",
      "neptune",
      "clearml",
      "clearml-*",
      "aim",
      "dvc",
      "dvclive",
      "trackio",
      "swanlab",
      "visualdl",
      "traceml",
      "whylogs",
      "google-cloud-mldiagnostics",
      "ml-goodput-measurement",
      "sagemaker-experiments",
      "sagemaker-mlflow",
    ],
    why: "experiment trackers and ML monitoring (labelled uncertain: 'experiment tracking rather than an AI SDK')",
  },
  {
    ecosystem: "pypi",
    names: [
      "metaflow",
      "ob-metaflow",
      "kubeflow",
      "zenml",
      "dbnd",
      "flyte",
      "determined",
      "nemo-run",
      "skypilot",
      "skypilot-nightly",
      "dstack",
      "hopsworks",
      "cog",
    ],
    why: "ML platforms and compute orchestration (labelled uncertain like modal: 'compute platform, not itself an AI library')",
  },
  {
    ecosystem: "pypi",
    names: [
      "tavily-python",
      "exa-py",
      "firecrawl-py",
      "firecrawl",
      "google-search-results",
      "serpapi",
      "duckduckgo-search",
      "ddgs",
      "valyu",
      "scrapegraph-py",
    ],
    why: "web-search/scrape APIs built for agents (labelled uncertain: search service, not a model SDK)",
  },
  {
    ecosystem: "pypi",
    names: [
      "unstructured",
      "unstructured-*",
      "markitdown",
      "docling",
      "docling-*",
      "pymupdf4llm",
      "crawl4ai",
      "trafilatura",
      "gitingest",
      "maincontentextractor",
      "mkdocs-llmstxt",
      "toon-format",
      "python-toon",
      "toonify",
      "partial-json-parser",
      "partialjson",
    ],
    why: "document/text conversion and JSON helpers for LLM input and output (labelled uncertain: markitdown, pymupdf4llm, partial-json)",
  },
  {
    ecosystem: "pypi",
    names: [
      "e2b",
      "e2b-*",
      "daytona",
      "daytona-*",
      "modal",
      "bashkit",
      "swe-rex",
      "runloop-api-client",
      "k8s-agent-sandbox",
    ],
    why: "code sandboxes for agents (labelled uncertain: infrastructure, not AI itself)",
  },
  {
    ecosystem: "pypi",
    names: ["gradio", "gradio-client", "hf-gradio", "streamlit", "streamlit-*", "shinychat"],
    why: "demo and chat UI frameworks (labelled uncertain / not AI)",
  },
  {
    ecosystem: "pypi",
    names: [
      "numpy",
      "scipy",
      "pandas",
      "einops",
      "numba",
      "cupy",
      "cupy-*",
      "numexpr",
      "polars",
      "pyarrow",
      "ml-dtypes",
      "bigframes",
      "verticapy",
      "woodwork",
    ],
    why: "numerics and data frames (LABELS.md: numpy, pandas are not AI; einops labelled uncertain)",
  },
  {
    ecosystem: "pypi",
    names: [
      "ray",
      "dask",
      "dask-*",
      "gymnasium",
      "gym",
      "ale-py",
      "dm-env",
      "open-spiel",
      "openenv-core",
      "pettingzoo",
      "shimmy",
      "textarena",
      "fhaviary",
      "math-verify",
    ],
    why: "distributed compute, RL environments and reward checkers (labelled uncertain: gymnasium, ray, openenv, math-verify)",
  },
  {
    ecosystem: "pypi",
    names: ["nvidia-cudnn-*", "nvidia-*-cu11", "nvidia-*-cu12", "nvidia-*-cu13"],
    why: "CUDA runtime libraries (cuBLAS, cuDNN, NCCL wheels) installed under torch: GPU runtime, not an AI package",
  },
  {
    ecosystem: "pypi",
    names: ["mypy-boto3-*", "types-*", "*-stubs", "data-science-types"],
    why: "type stubs: no code of the package they describe",
  },
  {
    ecosystem: "pypi",
    names: [
      "ucimlrepo",
      "pmlb",
      "numerapi",
      "sagemaker-datawrangler",
      "sagemaker-data-insights",
      "sagemaker-feature-store-pyspark*",
    ],
    why: "dataset downloaders and data-preparation tools, not ML code",
  },
  {
    ecosystem: "pypi",
    names: ["aws-cdk-*"],
    why: "infrastructure-as-code constructs that provision AI services; they call no model",
  },
  // Words that matched without meaning AI.
  {
    ecosystem: "pypi",
    names: [
      "dissect-volume",
      "django-sql-explorer",
      "blobfile",
      "xonsh",
      "scalene",
      "vnstock-ezchart",
      "commit-check",
      "detect-agent",
      "newb",
      "cisco-ai-skill-scanner",
      "graphifyy",
      "ouroboros-ai",
      "sovyx",
      "dingtalk-stream",
      "wecom-aibot-sdk-python",
      "nbdev-pytorch",
      "pytorch-sphinx-theme2",
      "mp-pyrho",
      "sleipnirgroup-jormungandr",
      "tensor-grep",
      "wordninja",
      "probablepeople",
      "rb-resume-parser",
      "gekko",
      "pennylane",
      "pybullet",
      "rdkit",
      "rdkit-pypi",
      "poselib",
      "roma",
      "pydssp",
      "torch-dftd",
      "tk",
      "jaxtyping",
      "torchtyping",
      "sphinx-llm",
    ],
    why: "not AI packages: the summary mentions AI, ML, PyTorch, NLP (nonlinear programming) or agents in passing (reviewed by hand)",
  },
  {
    ecosystem: "npm",
    names: [
      "@mendable/firecrawl-js",
      "@mendable/n8n-nodes-firecrawl",
      "exa-js",
      "@tavily/core",
      "scrapegraph-js",
      "valyu-js",
    ],
    why: "web-search/scrape APIs built for agents (labelled uncertain)",
  },
  {
    ecosystem: "npm",
    names: ["@aws-cdk/*", "@cdklabs/*", "@aws/agentcore-cdk"],
    why: "infrastructure-as-code constructs that provision AI services; they call no model",
  },
  {
    ecosystem: "npm",
    names: ["@modelcontextprotocol/inspector", "agnost"],
    why: "MCP developer and analytics tooling (labelled uncertain: inspector run with npx, agnost 'MCP tooling rather than an AI SDK')",
  },
  {
    ecosystem: "npm",
    names: ["@e2b/desktop", "@runloop/api-client", "agentmail", "bunqueue"],
    why: "sandboxes and infrastructure for agents (labelled uncertain like e2b, daytona)",
  },
  {
    ecosystem: "npm",
    names: [
      "@chatui/core",
      "@patternfly/chatbot",
      "@progress/kendo-react-conversational-ui",
      "@filigran/chatbot",
      "@fluentui-copilot/*",
      "@mariozechner/pi-web-ui",
      "@humanspeak/svelte-markdown",
      "@janhq/streamdown",
      "streamdown",
      "@magicul/react-chat-stream",
      "@openai/apps-sdk-ui",
      "@ainativekit/ui",
      "@antv/gpt-vis",
      "@sendbird/ai-agent-messenger-react",
      "@lobehub/icons*",
      "@usecrow/ui",
      "@virtuoso.dev/message-list",
      "@llm-ui/*",
      "@react-grab/*",
      "streaming-markdown",
      "react-aiwriter",
      "use-stick-to-bottom",
      "vue-stick-to-bottom",
      "markstream-vue",
      "vue-stream-markdown",
      "deep-chat",
      "deep-chat-react",
      "flowise-embed",
      "flowise-embed-react",
    ],
    why: "chat and AI UI components that call no model (labelled uncertain: @assistant-ui/react, streamdown)",
  },
  {
    ecosystem: "npm",
    names: [
      "@awesome-cordova-plugins/speech-recognition",
      "@capacitor-community/speech-recognition",
      "@capgo/capacitor-speech-recognition",
      "@jamsch/expo-speech-recognition",
      "expo-speech-recognition",
      "@capacitor/screen-reader",
      "expo-speech",
      "react-native-tts",
      "easy-speech",
      "speak-tts",
      "react-speech-kit",
      "react-speech-recognition",
      "react-hook-speech-to-text",
      "speech-to-element",
      "annyang",
      "react-speakup",
      "react-text-to-speech",
      "say",
      "recorder-core",
      "nexmo",
    ],
    why: "browser Web Speech / device speech APIs and telephony (labelled not AI: react-text-to-speech 'not an AI model SDK')",
  },
  {
    ecosystem: "npm",
    names: [
      "@rspress/plugin-llms",
      "@signalwire/docusaurus-*",
      "nuxt-llms",
      "docusaurus-plugin-llms",
      "vitepress-plugin-llms",
      "micromark-extension-llm-math",
      "starlight-llms-txt",
      "@scalar/openapi-to-markdown",
      "mdream",
      "dom-to-semantic-markdown",
      "repomix",
      "youtube-caption-extractor",
      "notion-md-crawler",
      "@byjohann/toon",
      "@toon-format/toon",
      "partial-json",
      "@toolsycc/json-repair",
      "@solvers-hub/llm-json",
      "json-repair-js",
      "@ahoo-wang/fetcher-eventstream",
    ],
    why: "docs, Markdown and JSON helpers that prepare text for LLMs (labelled uncertain: partial-json, markitdown-like converters)",
  },
  {
    ecosystem: "npm",
    names: [
      "claude",
      "claude-ai",
      "claude-code",
      "ccstatusline",
      "tweakcc",
      "tdd-guard",
      "cc-sdd",
      "gh-setup-hooks",
      "cursor2claude",
      "happy-coder",
      "claude-code-templates",
      "get-shit-done-cc",
      "skillfish",
      "uipro-cli",
      "openskills",
      "skilld",
      "lnai",
      "@code-yeongyu/comment-checker",
      "@bulletproof-sh/ctrl-daemon",
      "@kaitranntt/ccs",
      "@rulecatch/ai-pooler",
      "@siteboon/claude-code-ui",
      "@apogeelabs/the-agency",
      "@joshski/dust",
      "@vercel/detect-agent",
      "am-i-vibing",
      "@clipboard-health/playwright-reporter-llm",
      "@thebushidocollective/han",
      "@stagewise/toolbar",
      "@21st-extension/toolbar",
      "@n8n-as-code/skills",
    ],
    why: "coding-assistant add-ons (status lines, hooks, skill installers, placeholders): they configure an AI tool, they are not AI libraries",
  },
  {
    ecosystem: "npm",
    names: [
      "gpt",
      "gemini-configparser",
      "gemini-core",
      "gemini-coverage",
      "@artsy/gemup",
      "@gemini-wallet/core",
      "libsignal",
      "libsignal-node",
      "web3-shh",
      "@aws-cdk/aws-chatbot",
      "@aws-sdk/client-chatbot",
      "@achrinza/node-ipc",
      "@adaptic/backend-legacy",
      "@ainblockchain/ain-util",
      "@arcjet/*",
      "arcjet",
      "@blinkdotnew/*",
      "@heyputer/puter.js",
      "@getyoti/react-face-capture",
      "@nostr-dev-kit/ndk",
      "@secretlint/*",
      "@renegades/react-native-tickle",
      "iconfonts",
      "tweakpane",
      "yuka",
      "deploy",
      "tracking",
      "jsfeat",
      "kalidokit",
      "compromise",
      "talisman",
      "wink-bm25-text-search",
      "wink-lexicon",
      "wink-nlp-utils",
      "insomnia-plugin-prompt",
      "inngest-cli",
      "chat",
      "generaltranslation",
      "gtx-cli",
      "neo.mjs",
      "project-compass",
      "remark-disable-tokenizers",
      "@xmtp/agent-sdk",
      "cobrowse-agent-sdk",
      "@zappar/zappar-cv",
      "@wasm-audio-decoders/opus-ml",
      "@capacitor-mlkit/barcode-scanning",
      "@capawesome/capacitor-torch",
      "react-native-torch",
      "@react-native-ml-kit/barcode-scanning",
      "@maxim_mazurok/*",
      "@types/*",
      "@e-llm-studio/citation",
      "semiotic",
      "creem",
      "@sudobility/types",
      "stentor-service-ovai",
      "@stdlib/nlp-*",
    ],
    why: "not AI packages: GPT partition tables, flashlight (torch) plugins, Yandex's gemini test tool, Gemini wallet, Open Whisper Systems, AWS Chatbot, rule-based text tools, game AI, security SDKs, payments and charting SDKs that also ship an MCP server, type stubs (reviewed by hand)",
  },
];

interface Candidate {
  ecosystem: Ecosystem;
  name: string;
  popularity: string;
  summary: string;
  matched: string[];
  category: Category;
  provider: string;
}

/** Vendors whose name in a package name or summary says whose models or service it reaches. */
const VENDORS: [RegExp, string][] = [
  [/\bopenai\b/i, "openai"],
  [/\banthropic\b|\bclaude\b/i, "anthropic"],
  [/\bgemini\b|\bvertex ?ai\b|\bgoogle[ -]genai\b/i, "google"],
  [/\bmistral(ai)?\b/i, "mistral"],
  [/\bcohere\b/i, "cohere"],
  [/\bgroq\b/i, "groq"],
  [/\bollama\b/i, "ollama"],
  [/\bhugging ?face\b|🤗/i, "huggingface"],
  [/\breplicate\b/i, "replicate"],
  [/\bdeepseek\b/i, "deepseek"],
  [/\btogether (ai|api)\b/i, "together"],
  [/\bfireworks (ai|api)\b/i, "fireworks"],
  [/\bvoyage ?ai\b/i, "voyage"],
  [/\bperplexity\b/i, "perplexity"],
  [/\belevenlabs\b/i, "elevenlabs"],
  [/\bbedrock\b/i, "aws-bedrock"],
  [/\bazure openai\b/i, "azure-openai"],
  [/\blangchain\b/i, "langchain"],
  [/\bllama[ -_]?index\b/i, "llamaindex"],
  [/\bqdrant\b/i, "qdrant"],
  [/\bpinecone\b/i, "pinecone"],
  [/\bweaviate\b/i, "weaviate"],
  [/\bmilvus\b/i, "milvus"],
  [/\bchroma(db)?\b/i, "chroma"],
  [/\bnvidia\b/i, "nvidia"],
  [/\bmodel ?context ?protocol\b|\bMCP\b/, "mcp"],
];

function tokensOf(name: string): string[] {
  return name
    .toLowerCase()
    .split(/[-_./@:]+/)
    .filter(Boolean);
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i");
}

const EXCLUDED_RULES = EXCLUDED.flatMap((e) =>
  e.names.map((n) => ({ ecosystem: e.ecosystem, regex: wildcard(n), pattern: n, why: e.why })),
);

function excludedBy(ecosystem: Ecosystem, name: string): { pattern: string; why: string } | undefined {
  const normal = ecosystem === "pypi" ? name.toLowerCase().replace(/[-_.]+/g, "-") : name;
  return EXCLUDED_RULES.find((r) => r.ecosystem === ecosystem && r.regex.test(normal));
}

/** The terms a package matches: on its summary (less the not-AI phrases), or on its name when the summary matches nothing. */
function classify(name: string, summary: string): { matched: string[]; category: Category } | undefined {
  let text = summary;
  for (const { phrase } of NOT_AI_PHRASES) text = text.replace(phrase, " ");
  const tokens = tokensOf(name);
  const matched: string[] = [];
  let category: Category | undefined;
  for (const term of TERMS) {
    for (const regex of term.summary ?? []) {
      const word = regex.exec(text)?.[0];
      if (!word) continue;
      matched.push(word.trim());
      category ??= term.category;
    }
  }
  if (matched.length === 0) {
    // A summary that names no AI word: the name alone decides, for a summary that is empty or
    // says nothing about what the package is (one or two words), or a name token that can only
    // mean AI (`open-clip-torch`, `*-onnx`, `*-langchain`).
    const terse = summary.trim().split(/\s+/).filter(Boolean).length <= 2;
    if (!terse && !tokens.some((t) => STRONG_NAME_TOKENS.has(t))) return undefined;
    for (const term of TERMS) {
      if (term.name?.(tokens, name.toLowerCase())) {
        matched.push(`name:${term.id}`);
        category ??= term.category;
      }
    }
  }
  return category ? { matched: [...new Set(matched)], category } : undefined;
}

function providerOf(name: string, summary: string, category: Category): string {
  const spaced = name.replace(/[-_./@]+/g, " ");
  for (const [regex, vendor] of VENDORS) if (regex.test(spaced)) return vendor;
  for (const [regex, vendor] of VENDORS) if (regex.test(summary)) return vendor;
  return category === "ml-framework" || category === "local-inference" ? "local" : "other";
}

/** A provider client: the vendor is in the package name and the summary calls it its API client or SDK. */
function categoryOf(name: string, summary: string, category: Category, provider: string): Category {
  const vendorInName = VENDORS.some(
    ([regex, vendor]) => vendor === provider && regex.test(name.replace(/[-_./@]+/g, " ")),
  );
  const apiClient = /\b(API|SDK|client library|client for)\b/i.test(summary);
  const vendorIsModelProvider = [
    "openai",
    "anthropic",
    "google",
    "mistral",
    "cohere",
    "groq",
    "replicate",
    "deepseek",
    "aws-bedrock",
    "azure-openai",
  ].includes(provider);
  if (vendorInName && apiClient && vendorIsModelProvider && (category === "orchestration" || category === "tooling"))
    return "provider";
  return category;
}

function readTsv(file: string): string[][] {
  return readFileSync(file, "utf8")
    .split("\n")
    .slice(1)
    .filter(Boolean)
    .map((line) => line.split("\t"));
}

/** Entries of the hand-written files (no `generatedBy`), the layer that wins. */
function handWrittenCatalog(dir: string): AiCatalog {
  const sdks: SdkEntry[] = [];
  for (const file of readdirSync(dir)
    .filter((n) => n.endsWith(".yaml"))
    .sort()) {
    const path = join(dir, file);
    const source = parseYamlSource(readFileSync(path, "utf8"), path);
    const raw = source.value as Record<string, unknown> | null;
    if (!raw || typeof raw !== "object" || !("sdks" in raw) || "generatedBy" in raw) continue;
    const parsed = validateYaml(SdkCatalogFileSchema, source);
    for (const sdk of parsed.sdks) sdks.push({ ...sdk, ecosystem: parsed.ecosystem });
  }
  return { sdks, models: [], inferenceServers: [] };
}

function cleanSummary(summary: string | undefined): string {
  return (summary ?? "")
    .replace(/^\[tested here:[^\]]*\]\s*/, "")
    .replace(/\s+/g, " ")
    .trim();
}

function snapshotOf(file: string): string {
  const hash = createHash("sha256").update(readFileSync(file)).digest("hex").slice(0, 12);
  return `${file.split("/").pop()} of ${statSync(file).mtime.toISOString().slice(0, 10)}, sha256 ${hash}`;
}

interface Selection {
  kept: Candidate[];
  excluded: (Candidate & { why: string; pattern: string })[];
  handWritten: Candidate[];
}

function select(options: {
  ecosystem: Ecosystem;
  rows: { name: string; popular: boolean; popularity: string; summary: string }[];
  hand: ReturnType<typeof createSdkIndex>;
}): Selection {
  const out: Selection = { kept: [], excluded: [], handWritten: [] };
  const seen = new Set<string>();
  for (const row of options.rows) {
    if (!row.popular) continue;
    const key = options.ecosystem === "pypi" ? row.name.toLowerCase().replace(/[-_.]+/g, "-") : row.name;
    if (seen.has(key)) continue;
    const found = classify(row.name, row.summary);
    if (!found) continue;
    seen.add(key);
    const provider = providerOf(row.name, row.summary, found.category);
    const candidate: Candidate = {
      ecosystem: options.ecosystem,
      name: row.name,
      popularity: row.popularity,
      summary: row.summary,
      matched: found.matched,
      category: categoryOf(row.name, row.summary, found.category, provider),
      provider,
    };
    const excluded = excludedBy(options.ecosystem, row.name);
    if (options.hand.byName(options.ecosystem, row.name)) out.handWritten.push(candidate);
    else if (excluded) out.excluded.push({ ...candidate, ...excluded });
    else out.kept.push(candidate);
  }
  for (const list of [out.kept, out.excluded, out.handWritten]) list.sort((a, b) => a.name.localeCompare(b.name));
  return out;
}

function yamlFile(options: {
  ecosystem: Ecosystem;
  snapshot: string;
  threshold: string;
  kept: Candidate[];
  imports: boolean;
}): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = [
    `# GENERATED by \`${COMMAND}\` — do not edit by hand; change the script and run it again.`,
    `# Registry snapshot: ${options.snapshot}.`,
    `# Selected: ${options.threshold}, AND a summary (or, for an empty one, a name) with AI vocabulary;`,
    "# non-AI matches are excluded in the script with a reason. Hand-written files win: a name they",
    "# answer (exact, family or Go major version) is left out here and dropped at load if it appears.",
    `# Each \`source\` gives the popularity, the words that matched and the summary. ${options.kept.length} entries.`,
    `ecosystem: ${options.ecosystem}`,
    `generatedBy: ${q(COMMAND)}`,
    "sdks:",
  ];
  for (const c of options.kept) {
    const summary = c.summary.length > 60 ? `${c.summary.slice(0, 60)}…` : c.summary;
    const source = `${c.popularity}; matched ${c.matched.join(", ")}; summary: ${summary || "(empty)"}`;
    const imports = options.imports ? `[${q(c.name)}]` : "[]";
    lines.push(
      `  - { name: ${q(c.name)}, provider: ${c.provider}, category: ${c.category}, imports: ${imports}, source: ${q(source)} }`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      lists: { type: "string", default: "/usr/share/package-lists" },
      out: { type: "string", default: join(ROOT, "rules", "ai-catalog") },
      "npm-min": { type: "string", default: "5000" },
      review: { type: "boolean", default: false },
    },
  });
  const npmMin = Number(values["npm-min"]);
  const hand = createSdkIndex(handWrittenCatalog(values.out));

  const pypiFile = join(values.lists, "pypi.tsv");
  const pypi = select({
    ecosystem: "pypi",
    hand,
    rows: readTsv(pypiFile).map(([name = "", , , rank = "", summary]) => ({
      name,
      popular: rank !== "",
      popularity: `pypi.tsv rank ${rank} of 15000`,
      summary: cleanSummary(summary),
    })),
  });
  const npmFile = join(values.lists, "npm.tsv");
  const npm = select({
    ecosystem: "npm",
    hand,
    rows: readTsv(npmFile).map(([name = "", , downloads = "0", summary]) => ({
      name,
      popular: Number(downloads) >= npmMin,
      popularity: `npm.tsv ${Number(downloads).toLocaleString("en-US")} downloads/month`,
      summary: cleanSummary(summary),
    })),
  });

  if (values.review) {
    for (const [label, selection] of [
      ["pypi", pypi],
      ["npm", npm],
    ] as const) {
      for (const c of selection.kept)
        console.log(
          `KEEP\t${label}\t${c.name}\t${c.category}\t${c.provider}\t${c.matched.join(", ")}\t${c.summary.slice(0, 140)}`,
        );
      for (const c of selection.excluded)
        console.log(`EXCLUDED\t${label}\t${c.name}\t${c.pattern}\t${c.why}\t${c.summary.slice(0, 100)}`);
      for (const c of selection.handWritten) console.log(`HAND\t${label}\t${c.name}`);
    }
    console.error(
      `pypi: ${pypi.kept.length} kept, ${pypi.excluded.length} excluded, ${pypi.handWritten.length} hand-written`,
    );
    console.error(
      `npm: ${npm.kept.length} kept, ${npm.excluded.length} excluded, ${npm.handWritten.length} hand-written`,
    );
    return;
  }
  writeFileSync(
    join(values.out, "pypi-registry.yaml"),
    yamlFile({
      ecosystem: "pypi",
      snapshot: snapshotOf(pypiFile),
      threshold: "a rank among the 15,000 most downloaded",
      kept: pypi.kept,
      imports: false,
    }),
  );
  writeFileSync(
    join(values.out, "npm-registry.yaml"),
    yamlFile({
      ecosystem: "npm",
      snapshot: snapshotOf(npmFile),
      threshold: `at least ${npmMin.toLocaleString("en-US")} downloads a month`,
      kept: npm.kept,
      imports: true,
    }),
  );
  console.log(
    `pypi-registry.yaml: ${pypi.kept.length} entries (${pypi.excluded.length} excluded, ${pypi.handWritten.length} hand-written)`,
  );
  console.log(
    `npm-registry.yaml: ${npm.kept.length} entries (${npm.excluded.length} excluded, ${npm.handWritten.length} hand-written)`,
  );
}

main();
