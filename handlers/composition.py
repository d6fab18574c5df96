"""One place that wires the whole service together from Settings."""

from __future__ import annotations

from fastapi import FastAPI

from handlers.data_dir_lock import DataDirectoryLock
from handlers.http import create_app
from handlers.service import Service
from handlers.settings import Settings
from workflow.clock import Clock
from workflow.store import PolicyIdForSchool


def build_service(
    settings: Settings,
    clock: Clock | None = None,
    lock: DataDirectoryLock | None = None,
    policy_id_for_school: PolicyIdForSchool | None = None,
) -> Service:
    return Service(settings, clock, lock, policy_id_for_school)


def build_app(
    settings: Settings, clock: Clock | None = None, lock: DataDirectoryLock | None = None
) -> FastAPI:
    return create_app(build_service(settings, clock, lock))
