"""Model serializers for the large read endpoints, with DRF's output unchanged but less
Python per request (issue 21: a case's detail and a list page were Python-bound).

DRF rebuilds a ModelSerializer's fields from the model on every instance (some 80 for a
case: model introspection, validators, labels) and reads every value of every row through
its generic attribute walk. `FastModelSerializer` builds the field set once per class
and language and gives each instance copies; and it reads a row's plain columns and
foreign keys' ids straight from the instance, passing each value to the same field's
`to_representation`. Everything else (dotted sources, method fields, nested serializers,
annotations) goes the generic way, so the answer is the same dict DRF gives.
"""

from __future__ import annotations

import copy
from operator import attrgetter

from django.utils.translation import get_language
from rest_framework import serializers
from rest_framework.fields import Field, SkipField
from rest_framework.relations import PKOnlyObject, PrimaryKeyRelatedField, RelatedField

_FIELDS: dict[tuple[type, str | None], dict[str, Field]] = {}


def _copy(field: Field) -> Field:
    """A fresh, unbound copy of a pristine field. A field holding bound children (a
    nested serializer, a many-relation, a list field) is deep-copied, as DRF does with
    declared fields; any other is copied shallowly: binding only sets its own attributes."""
    if isinstance(field, serializers.BaseSerializer) or hasattr(field, "child_relation"):
        return copy.deepcopy(field)
    if hasattr(field, "child"):
        return copy.deepcopy(field)
    return copy.copy(field)


def _identity(value):
    return value


class FastModelSerializer(serializers.ModelSerializer):
    """A read serializer whose field set is built once per class and language. Only for
    serializers whose fields do not depend on the instance or the context."""

    def get_fields(self):
        key = (type(self), get_language())
        pristine = _FIELDS.get(key)
        if pristine is None:
            pristine = _FIELDS[key] = super().get_fields()  # never bound itself
        return {name: _copy(field) for name, field in pristine.items()}

    def _plan(self) -> list[tuple]:
        """(name, getter, represent, field) per readable field: a getter for a model
        column or a foreign key's id read as DRF reads it; None for the generic way."""
        plan = self.__dict__.get("_read_plan")
        if plan is not None:
            return plan
        columns = {f.name: f for f in self.Meta.model._meta.concrete_fields}
        plan = []
        for field in self._readable_fields:
            column = columns.get(field.source) if len(field.source_attrs) == 1 else None
            getter = represent = None
            if column is None:
                pass
            elif not column.is_relation:
                if type(field).get_attribute is Field.get_attribute:
                    getter, represent = attrgetter(column.attname), field.to_representation
            elif (
                isinstance(field, PrimaryKeyRelatedField)
                and field.pk_field is None
                and type(field).get_attribute is RelatedField.get_attribute
                and type(field).to_representation is PrimaryKeyRelatedField.to_representation
                and field.use_pk_only_optimization()
                and column.target_field.primary_key
            ):
                # RelatedField.get_attribute reads serializable_value: the id column.
                getter, represent = attrgetter(column.attname), _identity
            plan.append((field.field_name, getter, represent, field))
        self.__dict__["_read_plan"] = plan
        return plan

    def to_representation(self, instance):
        if not isinstance(instance, self.Meta.model):
            return super().to_representation(instance)
        ret = {}
        for name, getter, represent, field in self._plan():
            if getter is not None:
                value = getter(instance)
                ret[name] = None if value is None else represent(value)
                continue
            # DRF's Serializer.to_representation, field by field.
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[name] = None if check_for_none is None else field.to_representation(attribute)
        return ret


_COLUMNS: dict[type, tuple[str, ...]] = {}


def columns_read(serializer_class: type[serializers.ModelSerializer]) -> tuple[str, ...]:
    """The `QuerySet.only()` names of what a model serializer reads from a row: its
    fields' sources that are the model's columns (a foreign key: its id) or a column of a
    related row (`office.name_en`: `office__name_en`). Method fields and annotations read
    nothing here; whatever else they touch must be in the row's columns or prefetched."""
    names = _COLUMNS.get(serializer_class)
    if names is not None:
        return names
    meta = serializer_class.Meta.model._meta
    columns = {f.name: f for f in meta.concrete_fields}
    found = [meta.pk.name]
    for field in serializer_class().fields.values():
        attrs = field.source_attrs
        column = columns.get(attrs[0]) if attrs else None
        if column is None or field.write_only:
            continue
        if len(attrs) == 1:
            found.append(column.name)
        elif len(attrs) == 2 and column.is_relation:
            related = {f.name for f in column.related_model._meta.concrete_fields}
            if attrs[1] in related:
                found += [column.name, f"{column.name}__{attrs[1]}"]
    names = _COLUMNS[serializer_class] = tuple(dict.fromkeys(found))
    return names
