from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.language import set_language
from config.health import healthz

admin.site.site_header = _("Customs IPR protection")
admin.site.site_title = _("Customs IPR protection")
admin.site.index_title = _("Recordals, detentions, campaigns and deadlines")

urlpatterns = [
    # Until the portal exists: what the service is, and where to go (the admin's "View site").
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    # The language switcher on every page: one click (GET or POST), saved on the user.
    path("i18n/setlang/", set_language, name="set_language"),
]
