from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.language import set_language
from config.health import healthz

admin.site.site_header = _("Customs IPR protection")
admin.site.site_title = _("Customs IPR protection")
admin.site.index_title = _("Recordals, detentions, campaigns and deadlines")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    # The language switcher on every page: one click (GET or POST), saved on the user.
    path("i18n/setlang/", set_language, name="set_language"),
    # The portal at the root: home (the admin's "View site"), search, accounts, cases.
    path("", include("portal.urls")),
]
