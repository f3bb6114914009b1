"""Check the answers to a category's extra questions against their definitions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jamaati.servicerequests.models import Category, QuestionKind


def clean_answers(*, category: Category, answers: dict[str, Any]) -> dict[str, Any]:
    """Return the answers keyed by question code, typed; raise ValidationError per question."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for question in category.questions.all():
        field = f"answer_{question.code}"
        raw = answers.get(question.code)
        if question.kind == QuestionKind.MULTIPLE:
            values = [
                v
                for v in (raw if isinstance(raw, list | tuple) else [raw] if raw else [])
                if str(v).strip()
            ]
            keys = {c.get("key") for c in question.choices}
            if question.required and not values:
                errors[field] = [_("Answer this question.")]
            elif any(v not in keys for v in values):
                errors[field] = [_("Choose among the proposed answers.")]
            elif values:
                cleaned[question.code] = list(values)
            continue
        value = "" if raw is None else str(raw).strip()
        if not value:
            if question.required:
                errors[field] = [_("Answer this question.")]
            continue
        if question.kind == QuestionKind.NUMBER:
            try:
                cleaned[question.code] = str(Decimal(value.replace(",", ".")))
            except InvalidOperation:
                errors[field] = [_("Enter a number.")]
        elif question.kind == QuestionKind.DATE:
            try:
                cleaned[question.code] = dt.date.fromisoformat(value).isoformat()
            except ValueError:
                errors[field] = [_("Enter a valid date.")]
        elif question.kind == QuestionKind.SINGLE:
            if value not in {c.get("key") for c in question.choices}:
                errors[field] = [_("Choose among the proposed answers.")]
            else:
                cleaned[question.code] = value
        else:
            cleaned[question.code] = value[:2000]
    if errors:
        raise ValidationError(errors)
    return cleaned
