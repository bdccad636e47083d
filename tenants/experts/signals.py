from django.dispatch import Signal

# Sent inside expert_update's transaction when a pool member's linked sign-in changed: expert, by.
# The rounds app connects to it (what a round gives its members follows the sign-in), so the pool
# knows nothing of rounds.
expert_user_changed = Signal()
