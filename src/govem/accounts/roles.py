"""The five roles of DESIGN §1, as Django groups."""

from __future__ import annotations

from typing import Any

PEGAWAI = "Pegawai"
ATASAN = "Atasan"
OPERATOR = "Operator"
TIM_IT = "Tim IT"
INOVATOR = "Inovator"
# Not one of the five: the group of BKPSDM staff who record discipline sentences (with
# another role, as deployed the Inovator's read-only oversight).
BKPSDM = "BKPSDM"

ALL_ROLES = (PEGAWAI, ATASAN, OPERATOR, TIM_IT, INOVATOR)
STAFF_ROLES = (OPERATOR, TIM_IT, INOVATOR)


def role_names(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_govem_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._govem_roles = cached
    return cached


def has_role(user: Any, *roles: str) -> bool:
    return bool(role_names(user) & set(roles)) or bool(getattr(user, "is_superuser", False))
