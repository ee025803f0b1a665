"""My statistics: the holder's own report, the one the API gives with scope=holder
(reports.selectors.report), with the admin page's charts and the API's CSV and Excel
files. An agent chooses the client; who may see which holder is reports.access's rule."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.timezone import local_today
from portal.views.cases import chosen_client, client_holders, holder_side
from reports.access import may_see_statistics
from reports.admin import StatisticsForm, present
from reports.selectors import report as holder_report
from reports.selectors import scope_for


class HolderStatisticsForm(StatisticsForm):
    """The admin's period form without its district choice: the scope is the holder."""

    def __init__(self, *args, **kwargs):
        from accounts.models import Organisation

        super().__init__(*args, offices=Organisation.objects.none(), **kwargs)
        del self.fields["office"]


@holder_side
def statistics(request):
    holders = list(client_holders(request.user))
    holder = chosen_client(request, holders) or (holders[0] if holders else None)
    data = request.GET.copy()
    data.setdefault("year", str(local_today().year))
    form = HolderStatisticsForm(data)
    context = {"form": form, "holders": holders, "holder": holder}
    status = 200
    if holder is None or not may_see_statistics(request.user, kind="holder", holder_id=holder.pk):
        context["nothing"] = _("No rights holder authorises you today.")
    elif form.is_valid():
        starts_on, ends_on, names = form.period()
        result = holder_report(
            starts_on=starts_on, ends_on=ends_on, scope=scope_for(kind="holder", holder=holder.pk)
        )
        context.update(present(result, names))
        query = {
            "from": starts_on.isoformat(),
            "to": ends_on.isoformat(),
            "scope": "holder",
            "holder": holder.pk,
        }
        url = reverse("statistics")
        context["exports"] = [
            (label, f"{url}?{urlencode({**query, 'format': fmt})}")
            for label, fmt in ((_("CSV"), "csv"), (_("Excel"), "xlsx"))
        ]
    else:
        status = 400
    return render(request, "portal/statistics.html", context, status=status)
