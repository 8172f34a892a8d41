"""An admin's change to a complaint category's deadline, over the CSV default.

classifier/data/categories.csv ships the categories (codes, names, keywords the model
learned) with a default deadline; the console lets an admin change it per district without
editing a file inside the code. A NULL deadline keeps the default.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class CategoryOverride(Base):
    __tablename__ = "category_override"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    deadline_hours: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
