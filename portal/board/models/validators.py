from decimal import Decimal

from django.core.validators import MinValueValidator

POSITIVE = [MinValueValidator(Decimal("0.001"))]
