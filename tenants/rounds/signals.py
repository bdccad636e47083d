from django.dispatch import Signal

# Sent inside the transition's transaction: round, from_state, to_state, by.
round_transitioned = Signal()
