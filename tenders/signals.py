"""Seams between tenders and the apps that act on their outcome.

`tender_concluded` is sent (inside the transaction) when a tender moves to *concluded*, with
`tender` and `user`; the agreements app answers it by creating the tender's agreement(s).
"""

from __future__ import annotations

from django.dispatch import Signal

tender_concluded = Signal()
