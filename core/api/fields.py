"""Serializer fields shared by the step inputs and the API."""

from rest_framework import serializers

MONEY = {"max_digits": 18, "decimal_places": 2}


class OptionalBoolean(serializers.BooleanField):
    """A yes/no the caller must state: omitted is None (not False), even in multipart."""

    default_empty_html = serializers.empty

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_null=True, default=None, **kwargs)
