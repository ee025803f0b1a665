"""The portal's home page: what the service is, sign in, register, the public search."""

from django.shortcuts import render


def home(request):
    return render(request, "portal/home.html")
