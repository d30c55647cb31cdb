"""Public pages about the strategy: thin views over selectors."""

from django.shortcuts import render

from .models import Process


def home(request):
    processes = Process.objects.published()
    return render(request, "pages/home.html", {"processes": processes})
