"""Customers: the people and companies the work is for."""

from __future__ import annotations

import uuid
from typing import Annotated

import pydantic
from sqlmodel import Field, SQLModel

from khs_crm.models.base import EmailText, LanguageCode, Syncable, bound, new_id

# Each limit once (the column, services.customers.schemas, the office form read these).
CustomerName = Annotated[str, pydantic.Field(min_length=1, max_length=200)]
PhoneText = Annotated[str, pydantic.Field(max_length=40)]
AddressText = Annotated[str, pydantic.Field(max_length=500)]
CustomerNotes = Annotated[str, pydantic.Field(max_length=5000)]


class CustomerBase(SQLModel):
    name: CustomerName = Field(index=True)
    phone: PhoneText = Field(default="", index=True)
    email: EmailText = ""
    address: AddressText = ""
    notes: CustomerNotes = ""


class Customer(CustomerBase, Syncable, table=True):
    __tablename__ = "customers"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    # Digits of the phone number only, so "(512) 555-0101" is found by "5550101".
    phone_digits: PhoneText = Field(default="", index=True)
    # The language of the pages and documents the customer gets (None: the company's).
    language: str | None = Field(default=None, max_length=bound(LanguageCode))
