"""The I/O edges: broker subscribers, HTTP, CLI, and the composition root."""
