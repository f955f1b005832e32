"""The model path: an OpenAI-compatible endpoint driven through instructor (optional extra `llm`)."""
