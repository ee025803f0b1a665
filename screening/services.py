"""Screening declarations (issue 19): the one way the API, the command, the task and the
demo screen, and the one way batches and their results are stored."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from campaigns.models import Campaign
from core.i18n import in_reader_language
from screening import matching
from screening.models import ScreeningBatch, ScreeningResult
from screening.selectors import current_snapshot


def _reason(hit: matching.Hit, right: matching.Right, campaigns: dict) -> str:
    """The hit as a sentence in the reader's language."""
    p = hit.params
    if hit.rule == matching.MARK:
        return gettext("The goods carry the recorded mark %(mark)s (found as “%(found)s”).") % p
    if hit.rule == matching.MARK_FUZZY:
        return (
            gettext("The goods carry “%(found)s”, a misspelling of the recorded mark %(mark)s.") % p
        )
    if hit.rule == matching.HS_CODE:
        return gettext("HS code %(hs_code)s is among the recorded genuine goods' codes.") % p
    if hit.rule == matching.LOW_PRICE:
        return (
            gettext(
                "Unit price CNY %(price)s is far below the genuine goods' lowest price, "
                "CNY %(floor)s."
            )
            % p
        )
    if hit.rule == matching.KNOWN_INFRINGER:
        return gettext("%(party)s is a known infringer named in the recordal.") % p
    if hit.rule == matching.PAST_INFRINGER:
        return gettext("%(party)s was a party of infringing case %(case)s.") % p
    name = campaigns.get(p.get("campaign"), p.get("campaign", ""))
    if hit.rule == matching.CAMPAIGN_FOCUS:
        return gettext("The shipment is inside the focus of the campaign %(campaign)s.") % {
            "campaign": name
        }
    if hit.rule == matching.PRIORITY_HOLDER:
        return gettext("The right's holder is a priority enterprise of %(campaign)s.") % {
            "campaign": name
        }
    if hit.rule == matching.AUTHORISED:
        return (
            gettext("%(party)s is the holder or a recorded licensee: authorised supply chain.") % p
        )
    return hit.rule


def _campaign_names(results) -> dict:
    codes = {
        h.params["campaign"]
        for r in results
        for h in r.hits
        if h.rule in (matching.CAMPAIGN_FOCUS, matching.PRIORITY_HOLDER)
    }
    if not codes:
        return {}
    return {
        code: in_reader_language(en, zh)
        for code, en, zh in Campaign.objects.filter(code__in=codes).values_list(
            "code", "name_en", "name_zh"
        )
    }


def as_data(results: list[matching.Result], snapshot: matching.Snapshot) -> list[dict]:
    campaigns = _campaign_names(results)
    return [
        {
            "number": r.number,
            "risk": r.risk,
            "level": r.level,
            "authorised": r.authorised,
            "hits": [
                {
                    "line": h.line,
                    "recordal": snapshot.rights[h.right].number,
                    "rule": h.rule,
                    "reason": _reason(h, snapshot.rights[h.right], campaigns),
                }
                for h in r.hits
            ],
        }
        for r in results
    ]


def declarations_screen(*, declarations: list[dict]) -> list[dict]:
    """Each declaration's risk, level, authorised flag and hits, in the order given.
    Reads only: screening changes nothing."""
    snapshot, rules = current_snapshot()
    results = [snapshot.screen(d, rules) for d in declarations]
    return as_data(results, snapshot)


def batch_create(*, name: str, declarations: list[dict], actor=None) -> ScreeningBatch:
    """A batch to screen later (the Celery task); declarations already validated."""
    return ScreeningBatch.objects.create(
        name=name,
        declarations=declarations,
        total=len(declarations),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )


def batch_queue(*, name: str, declarations: list[dict], actor=None) -> ScreeningBatch:
    """A large batch, screened by a Celery worker once the batch is committed."""
    from screening.tasks import run_batch

    batch = batch_create(name=name, declarations=declarations, actor=actor)
    transaction.on_commit(lambda: run_batch.delay(batch.pk))
    return batch


def batch_run(*, batch_id: int, chunk: int = 500, progress=None) -> ScreeningBatch:
    """Screen a batch and store its results. Safe to run twice: results are replaced."""
    with transaction.atomic():
        batch = ScreeningBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status == ScreeningBatch.Status.DONE:
            return batch
        batch.status = ScreeningBatch.Status.RUNNING
        batch.save(update_fields=["status"])
        batch.results.all().delete()
    declarations = batch.declarations
    done = 0
    for start in range(0, len(declarations), chunk):
        part = declarations[start : start + chunk]
        snapshot, rules = current_snapshot()
        screened = [snapshot.screen(d, rules) for d in part]
        results = as_data(screened, snapshot)
        # The reasons in both languages, shown in the reader's (admin).
        with translation.override("zh-hans"):
            in_chinese = as_data(screened, snapshot)
        for r, zh in zip(results, in_chinese, strict=True):
            for h, h_zh in zip(r["hits"], zh["hits"], strict=True):
                h["reason_zh"] = h_zh["reason"]
        ScreeningResult.objects.bulk_create(
            ScreeningResult(
                batch=batch,
                position=start + n,
                number=(r["number"] or "")[:40],
                risk=r["risk"],
                level=r["level"],
                authorised=r["authorised"],
                declaration=declaration,
                hits=r["hits"],
            )
            for n, (r, declaration) in enumerate(zip(results, part, strict=True))
        )
        done += len(part)
        ScreeningBatch.objects.filter(pk=batch.pk).update(done=done)
        if progress:
            progress(done, len(declarations))
    ScreeningBatch.objects.filter(pk=batch.pk).update(
        status=ScreeningBatch.Status.DONE, done=done, finished_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch
