"""The dashboard (to be filled with charts)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from ttdn.web.accounts import UserInfo
from ttdn.web.deps import require
from ttdn.web.templating import render

__all__ = ["router"]

router = APIRouter()


@router.get("/", include_in_schema=False)
def dashboard(request: Request, _: Annotated[UserInfo, Depends(require("viewer"))]) -> Response:
    return render(request, "dashboard.html", {})
