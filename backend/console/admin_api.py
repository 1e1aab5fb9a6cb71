"""Admin pages: officers' accounts and the routing table."""

from fastapi import APIRouter, Request, Response

from backend.agencies import service as agencies
from backend.console import admin, web, work
from backend.console.models import ConsoleSession
from backend.console.queue import KOTA
from backend.db import SessionDep
from backend.errors import Conflict, NotFound, Unprocessable

router = APIRouter(prefix="/admin")


def _operators_page(session: SessionDep, console: ConsoleSession, **extra: object) -> Response:
    context: dict[str, object] = {
        "operators": admin.operators(session),
        "locked_out": admin.locked_out(session),
        "role_names": admin.ROLE_NAMES,
        "units": work.units(session),
        "error": "",
        "created": "",
        "switched": "",
        "typed": {},
    }
    status_code = int(str(extra.pop("status_code", 200)))
    context.update(extra)
    return web.render("admin_operators.html", context, console=console, status_code=status_code)


@router.get("/operators")
def operators_page(
    request: Request, session: SessionDep, console: web.ConsoleDep, _admin: web.AdminDep
) -> Response:
    params = request.query_params
    switched = params.get("switched", "")[:100]
    return _operators_page(
        session,
        console,
        created=params.get("created", "")[:100],
        switched=f"Akun {switched} sekarang {params.get('state', '')[:8]}." if switched else "",
    )


@router.post("/operators")
def create_operator(
    session: SessionDep, console: web.ConsoleDep, _admin: web.AdminDep, form: web.FormDep
) -> Response:
    username = web.text_field(form, "username", 100)
    role = web.text_field(form, "role", 16)
    unit_code = web.text_field(form, "unit_code", 64)
    password = form.get("password")
    try:
        with session.begin_nested():
            admin.create_operator(
                session, username, password if isinstance(password, str) else "", role, unit_code
            )
    except (Unprocessable, Conflict, NotFound) as exc:
        return _operators_page(
            session,
            console,
            error=admin.explain(exc),
            typed={"username": username, "role": role, "unit_code": unit_code},
            status_code=exc.status_code,
        )
    return web.redirect(f"{web.PREFIX}/admin/operators?created={username}")


@router.post("/operators/{operator_id}/active")
def switch_operator(
    operator_id: int,
    session: SessionDep,
    console: web.ConsoleDep,
    admin_user: web.AdminDep,
    form: web.FormDep,
) -> Response:
    active = web.text_field(form, "active", 1) == "1"
    try:
        changed = admin.set_active(session, admin_user, operator_id, active)
    except (Unprocessable, NotFound) as exc:
        return _operators_page(session, console, error=admin.explain(exc), status_code=422)
    state = "aktif" if changed.active else "nonaktif"
    return web.redirect(f"{web.PREFIX}/admin/operators?switched={changed.username}&state={state}")


@router.get("/routing")
def routing_page(
    request: Request, session: SessionDep, console: web.ConsoleDep, _admin: web.AdminDep
) -> Response:
    categories = agencies.list_categories(session)
    chosen = request.query_params.get("category", "") or categories[0].code
    return web.render(
        "admin_routing.html",
        {
            "categories": categories,
            "chosen": chosen,
            "rules": admin.routing_rules(session, chosen),
            "kota": KOTA,
            "units": work.units(session),
            "saved": request.query_params.get("saved", "") == "1",
        },
        console=console,
    )


@router.post("/routing/{rule_id}")
def set_routing(
    rule_id: int,
    session: SessionDep,
    _console: web.ConsoleDep,
    _admin: web.AdminDep,
    form: web.FormDep,
) -> Response:
    rule = admin.set_rule_unit(session, rule_id, web.text_field(form, "unit_code", 64))
    return web.redirect(f"{web.PREFIX}/admin/routing?category={rule.category_code}&saved=1")
