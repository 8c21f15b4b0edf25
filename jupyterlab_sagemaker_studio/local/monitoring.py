"""Model Monitor schedules in the local backend: ListMonitoringSchedules over the schedules of the local store.

Local mode creates no monitoring schedules yet, so the list is honestly empty; what this module provides is the
operation itself, with botocore's validation, AWS's filters (``EndpointName``, ``StatusEquals``,
``MonitoringTypeEquals``, ``MonitoringJobDefinitionName``, name and time filters), sorting and paging, so an
endpoint's tab can ask "which schedules watch this endpoint?" in local mode as in AWS. Schedules are stored like
every other kind (``sm_resources``, kind ``MonitoringSchedule``, the document DescribeMonitoringSchedule returns).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from botocore.model import OperationModel

from .sagemaker import Kind

if TYPE_CHECKING:
    from .sagemaker import SageMakerService

KINDS = (
    Kind(
        "MonitoringSchedule",
        "MonitoringScheduleName",
        "MonitoringScheduleArn",
        "monitoring-schedule",
        "DescribeMonitoringSchedule",
        "ListMonitoringSchedules",
        "MonitoringScheduleSummaries",
        label="Monitoring schedule",
        status_member="MonitoringScheduleStatus",
    ),
)
MONITORING_SCHEDULE = KINDS[0]


def _summary_source(doc: dict[str, Any]) -> dict[str, Any]:
    """A schedule document with the summary members that Describe nests in ``MonitoringScheduleConfig`` lifted."""
    config = doc.get("MonitoringScheduleConfig") or {}
    return {
        **doc,
        "MonitoringJobDefinitionName": config.get("MonitoringJobDefinitionName"),
        "MonitoringType": doc.get("MonitoringType") or config.get("MonitoringType"),
    }


class Operations:
    """The monitoring schedule operations, on the SageMaker service's store and helpers."""

    def __init__(self, sm: "SageMakerService") -> None:
        self.sm = sm

    def operations(self) -> dict[str, Callable[[dict[str, Any], OperationModel], dict[str, Any]]]:
        """Operation name -> handler."""
        return {"ListMonitoringSchedules": self.list_monitoring_schedules}

    def list_monitoring_schedules(self, params: dict[str, Any], operation: OperationModel) -> dict[str, Any]:
        """ListMonitoringSchedules with its filters, sorting (Name, CreationTime, Status) and paging."""
        docs = [_summary_source(d) for d in self.sm.settled_all(MONITORING_SCHEDULE)]
        for param, member in (
            ("EndpointName", "EndpointName"),
            ("StatusEquals", "MonitoringScheduleStatus"),
            ("MonitoringTypeEquals", "MonitoringType"),
            ("MonitoringJobDefinitionName", "MonitoringJobDefinitionName"),
        ):
            if param in params:
                # Endpoint and definition names are case-insensitive in AWS, as every SageMaker name.
                wanted = str(params[param]).lower()
                docs = [d for d in docs if str(d.get(member) or "").lower() == wanted]
        return self.sm._listing(MONITORING_SCHEDULE, params, operation, docs)
