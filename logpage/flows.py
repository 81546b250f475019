"""Flows page: the six flows' switches, settings completeness, backlog, and settings forms."""
import json

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for

from logpage.backfills import backfills_view
from logpage.flow_forms import build_form, form_values, validate
from logpage.resync import release_waiting
from models.flow_settings import missing_settings, schema_for
from models.flow_specs import FLOW_NAMES, FLOWS, flow_spec
from models.base import utcnow
from models.flows import Flow, FlowAudit, get_flow, save_flow
from models.logs import PENDING, SyncLog
from models.schemas.inventory import UNTRACKED_IN_STOCK
from models.stock import stock_progress

HISTORY = 50


def _flow_or_404(name):
    if name not in FLOW_NAMES:
        abort(404, description="No such flow.")
    return get_flow(name)


def _backlog(log_type):
    return SyncLog.select().where((SyncLog.log_type == log_type)
                                  & (SyncLog.status == PENDING)).count()


def flows():
    """The six flows with their switch, settings completeness and pending backlog."""
    stored = {f.name: f for f in Flow.select().where(Flow.name.in_(FLOW_NAMES))}
    backlog = {}
    items = []
    for spec in FLOWS:
        flow = stored.get(spec.name) or Flow(name=spec.name)
        if spec.log_type not in backlog:
            backlog[spec.log_type] = _backlog(spec.log_type)
        items.append({"name": spec.name, "label": spec.label, "direction": spec.direction,
                      "log_type": spec.log_type, "enabled": flow.enabled,
                      "missing": missing_settings(spec.name, flow.settings),
                      "backlog": backlog[spec.log_type],
                      "stock": _stock(flow) if spec.name == "inventory" else None})
    return render_template("logpage/flows.html", flows=items, backfills=backfills_view(),
                           today=utcnow().strftime("%Y-%m-%d"))


def _stock(flow):
    # Stock changes wait in their own table, not as Pending rows: show them, and the sweep.
    return stock_progress(untracked_counted=(flow.settings or {}).get("untracked") == UNTRACKED_IN_STOCK)


def toggle(name):
    """Turn a flow on or off (recorded in its history)."""
    _flow_or_404(name)
    enabled = request.form.get("enabled") == "1"
    save_flow(name, g.user.username, enabled=enabled)
    flash(f"{flow_spec(name).label} flow turned {'on' if enabled else 'off'}.", "info")
    target = request.form.get("next", "")
    return redirect(target if target in (url_for("logpage.flows"),
                                         url_for("logpage.flow", name=name))
                    else url_for("logpage.flows"))


def flow(name):
    """A flow's settings form (GET), or its validation and save (POST)."""
    current = _flow_or_404(name)
    schema = schema_for(name)
    if request.method == "GET":
        return _render(current, build_form(schema, form_values(schema, current.settings)))
    settings, values, errors = validate(schema, request.form)
    more = request.form.get("more_rows")
    if more or errors:
        if errors and not more:
            flash("Nothing was saved: fix the fields marked below.", "error")
        views = build_form(schema, values, errors if not more else {}, more_rows_for=more)
        return _render(current, views, errors.get("_schema", []) if not more else []), \
            (422 if errors and not more else 200)
    # Keys the schema does not know (written by a newer flow version) are kept, not dropped.
    kept = {k: v for k, v in current.settings.items() if k not in schema.fields}
    changes = save_flow(name, g.user.username, settings=json.loads(json.dumps(
        {**kept, **settings}, default=str)))
    label, log_type = flow_spec(name).label, flow_spec(name).log_type
    if not changes:
        flash(f"{label} settings unchanged.", "info")
        return redirect(url_for("logpage.flow", name=name))
    released = release_waiting(log_type, current_app.extensions["pearlbridge_queue"][0],
                               label, who=g.user.username)
    message = f"{label} settings saved ({len(changes)} change{'s' if len(changes) != 1 else ''})."
    if released.rows:
        message += f" {released.rows} record(s) waiting for settings were released."
        if released.queue_down:
            message += (" The queue is unavailable; nothing was lost — they stay Pending and "
                        "will be retried.")
    flash(message, "info")
    return redirect(url_for("logpage.flow", name=name))


def _render(current, views, form_errors=()):
    spec = flow_spec(current.name)
    history = [(entry, json.loads(entry.changes_json)) for entry in
               FlowAudit.select().where(FlowAudit.flow == current.id)
               .order_by(FlowAudit.at.desc(), FlowAudit.id.desc()).limit(HISTORY)]
    return render_template(
        "logpage/flow.html", flow=current, label=spec.label, direction=spec.direction,
        log_type=spec.log_type, fields=views, form_errors=list(form_errors), history=history,
        missing=missing_settings(current.name, current.settings), backlog=_backlog(spec.log_type),
        stock=_stock(current) if current.name == "inventory" else None)
