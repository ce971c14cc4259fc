"""The public application form's rules, all checked at once: every fault found is named with its field, so that
the applicant corrects them in one go (not one stage at a time)."""

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tilannekuva.regions.selectors import members_of
from tilannekuva.regions.validators import business_id_is_valid

from .models import GrantRound, Priority, TargetGroup
from .scoring import accepted_priorities

IBAN_LENGTHS = {"FI": 18, "AX": 18, "SE": 24, "EE": 20, "DE": 22, "NO": 15, "DK": 18}


def normal_iban(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def iban_is_valid(text: str) -> bool:
    """An IBAN whose check digits are right (ISO 13616, mod 97), of its country's length where known; Finnish
    accounts are FI + 16 digits."""
    iban = normal_iban(text)
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}", iban):
        return False
    if iban[:2] in IBAN_LENGTHS and len(iban) != IBAN_LENGTHS[iban[:2]]:
        return False
    digits = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
    return int(digits) % 97 == 1


def _euros(amount: Decimal) -> str:
    places = 0 if amount == amount.to_integral_value() else 2
    return number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)


def application_errors(grant_round: GrantRound, fields: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, message) for every rule a given field breaks; a field not given (the form already refused it) is
    not checked again."""
    errors: list[tuple[str, str]] = []
    given = fields.get
    business_id = given("business_id")
    if business_id is not None and not business_id_is_valid(str(business_id).strip()):
        errors.append(
            (
                "business_id",
                _("“%(value)s” is not a valid business id: write it as 1234567-8 with the right check digit.")
                % {"value": business_id},
            )
        )
    iban = given("iban")
    if iban is not None and not iban_is_valid(str(iban)):
        errors.append(("iban", _("“%(value)s” is not a valid IBAN: check the account number.") % {"value": iban}))
    for name, message in (
        ("contact_person", _("Name the association's contact person.")),
        ("signatory", _("Name the person with signing authority.")),
    ):
        if name in fields and not str(fields[name] or "").strip():
            errors.append((name, message))
    if "privacy_notice" in fields and not fields["privacy_notice"]:
        errors.append(("privacy_notice", _("Confirm that you have read the privacy notice.")))
    target_groups: Sequence[str] | None = given("target_groups")
    if target_groups is not None and (not target_groups or any(g not in TargetGroup.values for g in target_groups)):
        errors.append(("target_groups", _("Choose at least one target group.")))
    priorities: Sequence[Priority] | None = given("priorities")
    allowed = {p.pk for p in accepted_priorities(grant_round.principles)}
    if priorities is not None and (not priorities or any(p.pk not in allowed for p in priorities)):
        errors.append(("priorities", _("Choose the priorities of this round that the activity addresses.")))
    municipalities = given("municipalities")
    if municipalities is not None:
        members = {a.pk for a in members_of(grant_round.region.area, year=grant_round.year)}
        if not municipalities or any(m.pk not in members for m in municipalities):
            errors.append(
                ("municipalities", _("Choose the municipalities of the region where the activity takes place."))
            )
    total, applied = given("total_budget"), given("amount_applied")
    if total is not None and total <= 0:
        errors.append(("total_budget", _("The budget of the activity must be more than zero.")))
    if applied is not None:
        if applied <= 0:
            errors.append(("amount_applied", _("The amount applied must be more than zero.")))
        elif total is not None and applied > total:
            errors.append(("amount_applied", _("The amount applied cannot be more than the activity's budget.")))
        elif grant_round.max_grant is not None and applied > grant_round.max_grant:
            errors.append(
                (
                    "amount_applied",
                    _("The largest grant of this round is %(max)s €.") % {"max": _euros(grant_round.max_grant)},
                )
            )
    return errors
