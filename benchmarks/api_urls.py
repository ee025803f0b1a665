"""The project's URLs and, for benchmarks/api_speed.py, the reference: a bare Django JSON
view reading one case's row (one query, no DRF, no serializer), on the same stack."""

from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as project
from detentions.models import Detention


def bare(request, pk: int):
    row = Detention.objects.values("id", "number", "status", "opened_on", "total_value").get(pk=pk)
    return JsonResponse(row)


urlpatterns = [path("bench/bare/<int:pk>/", bare), *project]
