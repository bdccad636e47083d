"""The tenant apps' kernel: one place for roles and access rules, service calls from views and API, errors,
inputs, documents and file responses. Every tenant app builds on it; it imports no tenant app at import time."""
