"""The message bus between organisations: registry of shared record types, outbox, relay,
consumers, envelopes (signed and sealed), the sharing policy, anti-entropy. See docs/SYNC.md."""
