"""Prints the city signing root in PEM, so anyone can validate the portal's signed PDFs:

python manage.py pdf_signing_certificate > hefei-root.pem
pyhanko sign validate --trust hefei-root.pem --trust-replace verification.pdf
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hefei_cpe import signing


class Command(BaseCommand):
    help = "Print the root certificate that signs the portal's PDFs (PEM)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(signing.root_certificate_pem(), ending="")
