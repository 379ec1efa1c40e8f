"""Document embeddings from the Ollama container (see docker-compose.yml)."""

from langchain_community.embeddings import OllamaEmbeddings

embeddings = OllamaEmbeddings(model="nomic-embed-text", base_url="http://localhost:11434")


def embed(chunks: list[str]) -> list[list[float]]:
    return embeddings.embed_documents(chunks)
