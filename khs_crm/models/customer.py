"""Customers: the people and companies the work is for."""

from __future__ import annotations

import uuid

from sqlmodel import Field, SQLModel

from khs_crm.models.base import Syncable, new_id


class CustomerBase(SQLModel):
    name: str = Field(max_length=200, index=True)
    phone: str = Field(default="", max_length=40, index=True)
    email: str = Field(default="", max_length=254)
    address: str = Field(default="", max_length=500)
    notes: str = Field(default="", max_length=5000)


class Customer(CustomerBase, Syncable, table=True):
    __tablename__ = "customers"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    # Digits of the phone number only, so "(512) 555-0101" is found by "5550101".
    phone_digits: str = Field(default="", max_length=40, index=True)
    # The language of the pages and documents the customer gets (None: the company's).
    language: str | None = Field(default=None, max_length=8)
