"""The product's URLs, and the served floor (benchmarks/floor.py) — under the benchmark's settings only."""

from django.urls import path

from vcio.urls import handler400, handler403, handler404, handler500  # noqa: F401
from vcio.urls import urlpatterns as product_urlpatterns

from .floor import floor_view

urlpatterns = [path("_bench/floor/<str:token>/", floor_view), *product_urlpatterns]
