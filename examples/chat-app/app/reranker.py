"""Rerank retrieved chunks with a cross-encoder from the Hugging Face hub."""

import torch
from transformers import AutoModelForSequenceClassification

reranker = AutoModelForSequenceClassification.from_pretrained(
    "jinaai/jina-reranker-v2-base-multilingual",
    torch_dtype="auto",
    trust_remote_code=True,
)
reranker.eval()


def rerank(query: str, chunks: list[str]) -> list[str]:
    with torch.no_grad():
        scores = reranker.compute_score([[query, chunk] for chunk in chunks])
    return [chunk for _, chunk in sorted(zip(scores, chunks), reverse=True)]
