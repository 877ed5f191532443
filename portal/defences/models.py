"""What the form defences remember between requests."""

from django.db import models


class SpentFormToken(models.Model):
    """The nonce of a form start token a submission has used: a second use is refused.

    Kept in the database, not the cache: a cache may evict it under load (or hold it per
    process), and the token would then be good again. Rows older than a token's life are
    purged by ``run_board_jobs``."""

    nonce = models.CharField(max_length=32, primary_key=True)
    spent_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "spent form token"

    def __str__(self) -> str:
        return self.nonce
