"""Model instances from a row the check-in already holds, without ``Model.__init__``.

``Model.from_db`` (what the ORM calls per row) runs ``Model.__init__``: the ``pre_init`` and
``post_init`` signals and a ``setattr`` through each field's descriptor. For a model whose
fields are all plain (Django's own attribute descriptors, which store the value in the
instance's ``__dict__`` on assignment) and with no receiver of either signal, the result is
an instance whose ``__dict__`` holds exactly the field values: :func:`from_row` builds that
directly (the check-in turns five rows of its token lookup into instances; that was 5 % of
its CPU). Anything else — a model with another descriptor on a field's attribute, a
receiver of either signal connected — goes through ``from_db`` as before.
``tests/attendance/test_rows.py`` compares both ways for every model built here.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.fields.files import FileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

M = TypeVar("M", bound=Model)

# Descriptors whose __set__ (if any) only stores the value in instance.__dict__ while no
# related object is cached, which a new instance never has.
_PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)
_plain: dict[type[Model], tuple[str, ...] | None] = {}
_attname_sets: dict[type[Model], frozenset[str]] = {}


def plain_attnames(model: type[M]) -> tuple[str, ...] | None:
    """The concrete fields' attribute names when every one is plain, else ``None``."""
    if model not in _plain:
        names: list[str] | None = []
        for field in model._meta.concrete_fields:
            descriptor = model.__dict__.get(field.attname)
            if descriptor is None:
                for klass in model.__mro__[1:]:
                    if field.attname in klass.__dict__:
                        descriptor = klass.__dict__[field.attname]
                        break
            if type(descriptor) not in _PLAIN_DESCRIPTORS or isinstance(descriptor, FileDescriptor):
                names = None
                break
            names.append(field.attname)  # type: ignore[union-attr]
        _plain[model] = tuple(names) if names is not None else None
        _attname_sets[model] = frozenset(names or ())
    return _plain[model]


def from_row(model: type[M], alias: str, names: list[str], values: list[Any]) -> M:
    """What ``model.from_db(alias, names, values)`` returns, for ``names`` = every concrete
    field's attname in order."""
    attnames = plain_attnames(model)
    if attnames is None or pre_init.receivers or post_init.receivers or tuple(names) != attnames:
        return model.from_db(alias, names, values)
    instance = model.__new__(model)
    state = ModelState()
    state.adding = False
    state.db = alias
    instance.__dict__["_state"] = state
    instance.__dict__.update(zip(attnames, values, strict=True))
    return instance


def build(model: type[M], values: dict[str, Any]) -> M:
    """What ``model(**values)`` returns for ``values`` keyed by attname (``employee_id``, not
    ``employee``): a new, unsaved instance, every field not given at its default."""
    attnames = plain_attnames(model)
    if (
        attnames is None
        or pre_init.receivers
        or post_init.receivers
        or not values.keys() <= _attname_sets[model]
    ):
        return model(**values)  # also a name that is not a field's attname: Django says so
    instance = model.__new__(model)
    instance.__dict__["_state"] = ModelState()
    instance.__dict__.update(
        (name, values[name] if name in values else field.get_default())
        for name, field in zip(attnames, model._meta.concrete_fields, strict=True)
    )
    return instance
