from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 still, with small costs so that hundreds of test accounts stay fast."""

    time_cost = 1
    memory_cost = 256
    parallelism = 1
