"""All tables, imported here so SQLModel.metadata knows every one of them."""

from khs_crm.models.activity import ActivityAction, ActivityLog
from khs_crm.models.auth import RefreshToken, UserSession
from khs_crm.models.calendar import CalendarToken
from khs_crm.models.change_order import ChangeOrder, ChangeOrderPricer, ChangeOrderStatus
from khs_crm.models.customer import Customer, CustomerBase
from khs_crm.models.job import Job, JobAssignment, JobBase, JobNote, JobStatus
from khs_crm.models.material import Material, MaterialBase
from khs_crm.models.money import (
    CompanySettings,
    DocumentCounter,
    DocumentLine,
    Estimate,
    EstimateStatus,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    LineKind,
    MaterialCost,
    Payment,
    PaymentMethod,
)
from khs_crm.models.photo import Photo
from khs_crm.models.sync import ChangeCounter, SyncOperation
from khs_crm.models.sync_conflict import CrewRemoval, SyncConflict
from khs_crm.models.time import LaborRate, TimeEntry, TimeSettings, TimesheetApproval
from khs_crm.models.user import Role, User, UserBase, UserPublic

__all__ = [
    "ActivityAction",
    "ActivityLog",
    "CalendarToken",
    "ChangeOrder",
    "ChangeOrderPricer",
    "ChangeOrderStatus",
    "ChangeCounter",
    "CompanySettings",
    "CrewRemoval",
    "Customer",
    "CustomerBase",
    "DocumentCounter",
    "DocumentLine",
    "Estimate",
    "EstimateStatus",
    "Invoice",
    "InvoiceKind",
    "InvoiceStatus",
    "Job",
    "JobAssignment",
    "JobBase",
    "JobNote",
    "JobStatus",
    "LaborRate",
    "LineKind",
    "Material",
    "MaterialBase",
    "MaterialCost",
    "Payment",
    "PaymentMethod",
    "Photo",
    "RefreshToken",
    "Role",
    "SyncConflict",
    "SyncOperation",
    "TimeEntry",
    "TimeSettings",
    "TimesheetApproval",
    "User",
    "UserBase",
    "UserPublic",
    "UserSession",
]
