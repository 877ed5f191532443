"""The portal's moderation workflow: one approval task for its moderators group."""

from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

from portal.core.models import PortalHomePage, PortalSettings

from ..schema import Industry
from .report import LaunchReport, assign


def ensure_workflow(
    industry: Industry, home: PortalHomePage, settings: PortalSettings, report: LaunchReport
) -> None:
    name = f"{industry.name} moderation"
    link = WorkflowPage.objects.filter(page=home).select_related("workflow").first()
    if link is None:
        workflow = Workflow.objects.create(name=name, active=True)
        WorkflowPage.objects.create(page=home, workflow=workflow)
        report.note(f"workflow {name}")
    else:
        workflow = link.workflow
        changed = assign(workflow, name=name, active=True)
        if changed:
            workflow.save()
            report.note(f"workflow: {', '.join(changed)}")
    task_name = f"{industry.name}: moderator approval"
    link = WorkflowTask.objects.filter(workflow=workflow).select_related("task").first()
    if link is None:
        task = GroupApprovalTask.objects.create(name=task_name)
        task.groups.set([settings.moderators_group])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        report.note("moderator approval task")
    elif link.task.name != task_name:
        link.task.name = task_name
        link.task.save(update_fields=["name"])
        report.note("moderator approval task renamed")
