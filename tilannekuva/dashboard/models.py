"""The dashboard's cache generation: one counter, raised whenever anything the dashboard shows changes."""

from django.db import models


class CacheGeneration(models.Model):
    """Cached dashboard fragments carry the generation in their key, so raising it expires them in every process
    at once (each server process may keep a cache of its own)."""

    key = models.CharField(max_length=40, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.value}"
