"""The member area's "Your plan" page: the plan, its period, quotas used, how to pay."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.members.models import Membership
from portal.members.views import member_required

from .models import Plan
from .providers import provider
from .usage import summary


@member_required
def your_plan(request: HttpRequest, membership: Membership) -> HttpResponse:
    company = membership.company
    context = {
        "company": company,
        "summary": summary(company) if company is not None else None,
        "plans": Plan.objects.filter(site=membership.site, offered=True),
        "instructions": provider("manual").instructions(membership.site),
    }
    return render(request, "plans/your_plan.html", context)
