"""Staff accounts: create, issue a one-time password, check a password, change it.

No Flask here, so the CLI, the demo seed and the login view share one set of rules.
Production never sees a shared password: the demo seeds refuse there (DEMO_REFUSED), and a real
account gets a random one-time password, printed once by the CLI, that the owner must replace
at first login (`must_change_password`).
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from handlers.policy import CONSOLE_ROLES
from models import Identity, Person, RoleAssignment, StaffAccount, utcnow

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 8
DEMO_PASSWORD = "demo1234"
# 12 random bytes → 16 URL-safe characters (96 bits): typed once, then replaced by the owner.
ONE_TIME_PASSWORD_BYTES = 12
DEMO_REFUSED = ("{command} refuses to run with GRIDWHISTLE_ENV=production: demo accounts share the password "
                f"{DEMO_PASSWORD}. Give each real staff member an account with `create-staff-account USER`, "
                "which prints a one-time password.")
# A hash to compare against when the username is unknown, so timing does not tell.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountError(ValueError):
    """Why an account cannot be created; the text is shown to the operator."""


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    account_id: int | None = None
    person_id: int | None = None
    must_change_password: bool = False


def find_person(session: Session, wecom_user_id: str) -> Person | None:
    return session.execute(
        select(Person).join(Identity).where(Identity.channel == "wecom", Identity.external_id == wecom_user_id)
    ).scalar_one_or_none()


def create_account(session: Session, wecom_user_id: str, password: str, *, now: datetime,
                   must_change: bool = False) -> StaffAccount:
    """Create (or reset the password of) the console account of a staff member."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"密码至少 {MIN_PASSWORD_LENGTH} 位")
    person = find_person(session, wecom_user_id)
    if person is None:
        raise AccountError(f"没有找到企业微信用户 {wecom_user_id}")
    has_role = session.execute(
        select(RoleAssignment.id).where(RoleAssignment.person_id == person.id,
                                        RoleAssignment.role.in_(sorted(CONSOLE_ROLES)))
    ).first()
    if not has_role:
        raise AccountError(f"{wecom_user_id} 没有工作人员角色，不能登录指挥台")
    account = session.execute(select(StaffAccount).where(StaffAccount.person_id == person.id)).scalar_one_or_none()
    if account is None:
        account = StaffAccount(person_id=person.id, username=wecom_user_id, created_at=now, failed_logins=0,
                               active=True, password_hash="")
        session.add(account)
    account.password_hash = generate_password_hash(password)
    account.failed_logins, account.locked_until = 0, None
    account.must_change_password = must_change
    session.flush()
    return account


def issue_one_time_password(session: Session, wecom_user_id: str, *, now: datetime) -> str:
    """Create or reset an account with a random password its owner must replace at first login."""
    password = secrets.token_urlsafe(ONE_TIME_PASSWORD_BYTES)
    create_account(session, wecom_user_id, password, now=now, must_change=True)
    return password


def change_password(session: Session, account_id: int, new_password: str) -> None:
    """The owner's own password replaces the issued one. Caller commits."""
    account = session.get(StaffAccount, account_id)
    if account is None:
        raise AccountError("账号不存在")
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"密码至少 {MIN_PASSWORD_LENGTH} 位")
    if check_password_hash(account.password_hash, new_password):
        raise AccountError("新密码不能与当前密码相同")
    account.password_hash = generate_password_hash(new_password)
    account.must_change_password = False
    session.flush()


def seed_demo_accounts(session: Session, password: str = DEMO_PASSWORD, *, now: datetime | None = None) -> int:
    """Give every demo staff member (anyone with a console role) an account; returns how many were new."""
    now = now or utcnow()
    rows = session.execute(
        select(Identity.external_id).join(RoleAssignment, RoleAssignment.person_id == Identity.person_id)
        .where(Identity.channel == "wecom", RoleAssignment.role.in_(sorted(CONSOLE_ROLES))).distinct()
    ).scalars().all()
    existing = set(session.execute(select(StaffAccount.username)).scalars())
    created = 0
    for user_id in sorted(rows):
        if user_id not in existing:
            create_account(session, user_id, password, now=now)
            created += 1
    return created


def authenticate(session: Session, username: str, password: str, now: datetime) -> LoginResult:
    """Check a login. Caller commits.

    Every path checks exactly one password hash (a dummy one for an unknown or inactive name) and
    writes nothing on failure, so neither the answer nor its time tells whether the name exists.
    Repeated failures are slowed down before this is called (bot/console/login_throttle.py), never
    by locking the account, which would let anyone lock its owner out.
    """
    account = session.execute(select(StaffAccount).where(StaffAccount.username == username)).scalar_one_or_none()
    if account is None or not account.active:
        check_password_hash(_DUMMY_HASH, password)
        return LoginResult(False)
    if not check_password_hash(account.password_hash, password):
        return LoginResult(False)
    account.failed_logins, account.locked_until, account.last_login_at = 0, None, now
    return LoginResult(True, account.id, account.person_id, must_change_password=account.must_change_password)
