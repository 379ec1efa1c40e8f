"""An "ops assistant": asks the model how to fix a problem and runs what it says."""

import subprocess

from langchain_openai import ChatOpenAI

llm = ChatOpenAI(model="gpt-4.1-mini", temperature=0)


def fix(problem: str) -> str:
    reply = llm.invoke(f"Reply with one shell command that fixes this: {problem}")
    command = reply.content.strip()
    result = subprocess.run(command, shell=True, capture_output=True, text=True)
    return result.stdout
