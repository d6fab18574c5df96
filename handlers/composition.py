"""One place that wires the whole service together from Settings."""

from __future__ import annotations

from fastapi import FastAPI

from handlers.http import create_app
from handlers.service import Service
from handlers.settings import Settings
from workflow.clock import Clock


def build_service(settings: Settings, clock: Clock | None = None) -> Service:
    return Service(settings, clock)


def build_app(settings: Settings, clock: Clock | None = None) -> FastAPI:
    return create_app(build_service(settings, clock))
