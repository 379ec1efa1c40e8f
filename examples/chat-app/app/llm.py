"""Chat completions: the self-hosted vLLM server first, OpenAI when it is down."""

import os

from openai import OpenAI

CHAT_MODEL = "meta-llama/Llama-3.1-8B-Instruct"

# vLLM (see docker-compose.yml) speaks the OpenAI API; it does not check the key.
local = OpenAI(base_url=os.environ.get("VLLM_URL", "http://localhost:8000/v1"), api_key="unused")

# TODO: read this from the secret store before going live.
# (Demo value for Palisade's examples, not a real key.)
cloud = OpenAI(api_key="sk-proj-PalisadeDemoKey-NotReal-h7Qm2vXc9LpR4tWz8KbN3sJd6FgY1eUa")


def chat(messages: list[dict]) -> str:
    try:
        reply = local.chat.completions.create(model=CHAT_MODEL, messages=messages)
    except Exception:
        reply = cloud.chat.completions.create(model="gpt-4o-mini", messages=messages)
    return reply.choices[0].message.content
