"""Recording a new request: checking what the clerk typed, the duplicate rule of 003 §4.1.6, referrals."""

from __future__ import annotations

import datetime as dt

from repairctl.errors import Problem, RepairError, field_problem
from repairctl.office import registry, settings
from repairctl.office.folder import Office
from repairctl.orders import lifecycle, query, records
from repairctl.orders.desk import (
    Draft,
    Outcome,
    actor,
    create,
    event_time,
)
from repairctl.text import clock, terms
from repairctl.text.i18n import _
from repairctl.text.inputs import check_phone, check_text, unit_key

# How new_order's checks name each field in their messages: the options of `new`.
OPTION_NAMES = {"unit": "--unit", "name": "--name", "phone": "--phone", "description": "--desc", "item": "--item",
                "channel": "--channel", "appointment": "--appointment", "emergency": "--emergency", "at": "--at",
                "by": "--by"}


class Refused(RepairError):
    """A new order refused, with every reason as (field, message) pairs; the first is the message."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].message)
        self.problems = problems


def open_duplicates(office: Office, unit: str, item: str | None,
                    orders: list[records.Order] | None = None) -> list[records.Order]:
    """Open orders for the same unit and item (003 §4.1.6), so a job is not dispatched twice."""
    forms = settings.same_forms(office.config)  # office.yaml units.same_building_forms: 3-1201 is 3栋1201
    key = unit_key(unit, forms)
    if orders is None:  # committed changes and repairctl's own writes are seen; no git status for `new`
        orders = list(query.find(office, status="open", unit=unit, thorough=False))
    return [
        order
        for order in orders
        if order.status in lifecycle.OPEN
        and unit_key(order.get("unit"), forms) == key
        and (item is None or order.get("item") == item)
    ]


def draft_order(office: Office, *, unit: str, name: str | None, phone: str | None, description: str,
                item: str | None = None, channel: str = "phone", appointment: dt.datetime | None = None,
                emergency: bool = False, public: bool = False, force: bool = False, at: dt.datetime | None = None,
                by: str | None = None, orders: list[records.Order] | None = None, owners=None,
                labels: dict = OPTION_NAMES) -> Draft:
    """Check a new request and build its fields, writing nothing; raise Refused with every reason.

    orders (every order of the office) and owners (the registry) may be passed in when many
    requests are checked at once; labels name the fields in messages.
    """
    problems: list[Problem] = []

    def attempt(key, check, *args, **kwargs):
        try:
            return check(*args, **kwargs)
        except RepairError as exc:
            problems.append(field_problem(key, str(exc)))

    unit = attempt("unit", check_text, labels["unit"], unit, required=True)
    description = attempt("description", check_text, labels["description"], description, required=True, lines=True)
    name = attempt("name", check_text, labels["name"], name)
    phone = attempt("phone", check_phone, phone, labels["phone"]) if (phone or "").strip() else None
    if appointment and emergency:
        problems.append(field_problem("appointment", _("{appointment} and {emergency} exclude each other: an "
                                                       "emergency is attended at once")
                                      .format(appointment=labels["appointment"], emergency=labels["emergency"])))
    if channel not in terms.CHANNEL:
        problems.append(field_problem("channel", _("{option} {value} is not one of {choices}")
                                      .format(option=labels["channel"], value=repr(channel),
                                              choices=", ".join(terms.CHANNEL))))
    by, at = attempt("by", actor, office, by), attempt("at", event_time, office, at)
    if appointment and at and clock.localise(appointment, office.tz) < at:
        visit = clock.show(clock.localise(appointment, office.tz))
        problems.append(field_problem("appointment", _("{option} {visit} is before the request was received "
                                                       "({at}); give the agreed visit time")
                                      .format(option=labels["appointment"], visit=visit, at=clock.show(at))))
    job = attempt("item", office.catalogue.lookup, item) if item else None
    warnings = []
    forms = settings.same_forms(office.config)
    owners = registry.usable(office.root, forms) if owners is None else owners
    entry = owners.units.get(unit_key(unit, forms)) if owners.units is not None and unit and not public else None
    if entry and forms and unit_key(entry.unit) != unit_key(unit):  # 3-1201 typed, units.csv's 3栋1201 stored
        warnings.append(_("unit {unit} is {stored} in records/{file}: recorded as {stored}")
                        .format(unit=unit, stored=entry.unit, file=registry.UNITS))
        unit = entry.unit
    if entry and not {"name", "phone"} & {p.column for p in problems}:
        name, phone, found = registry.identify(entry, name, phone, force=force, labels=labels)
        problems += found
    elif owners.units is not None and unit and not public:
        warnings.append(_("{unit} is not in records/{file}; the caller's identity is not checked")
                        .format(unit=unit, file=registry.UNITS))
    missing = {"name": _("{option} is missing: give the caller's name, e.g. {option} 王先生"),
               "phone": _("{option} is missing: give a phone number to call back, e.g. {option} 138-1234-5678")}
    for key, sentence in missing.items():
        if not (name if key == "name" else phone) and key not in {p.column for p in problems}:
            problems.append(field_problem(key, sentence.format(option=labels[key])))
    duplicates = open_duplicates(office, unit, job.code if job else None, orders) if unit and (job or not item) else []
    if duplicates and job and not force:
        problems.append(field_problem("item", _(
            "order {id} for {unit} {item} is still open ({status}); do not dispatch the same job twice "
            "(003 §4.1.6), or pass --force if this is a different fault")
            .format(id=duplicates[0].id, unit=unit, item=job.code,
                    status=terms.label(terms.STATUS, duplicates[0].status))))
    if problems:
        raise Refused(problems)
    if duplicates and not job:
        warnings.append(_("{unit} already has open orders: {ids}").format(unit=unit,
                                                                          ids=", ".join(o.id for o in duplicates)))
    fields = {"channel": channel, "scope": "public" if public else "unit", "unit": unit, "name": name,
              "phone": phone, "description": description}
    if job:
        fields["item" if job.in_house else "supplier_job"] = job.code
    if appointment:
        fields["urgency"] = "appointment"
        fields["appointment"] = clock.localise(appointment, office.tz)
    else:
        fields["urgency"] = "emergency" if emergency else "immediate"
    referral = {"action": "refer", "job": job.code} if job and not job.in_house else None
    suggestions = [] if job else office.catalogue.suggest(description)
    return Draft(fields, by, at, referral, suggestions, warnings)


def new_order(office: Office, *, unit: str, name: str | None = None, phone: str | None = None, description: str,
              item: str | None = None, channel: str = "phone", appointment: dt.datetime | None = None,
              emergency: bool = False, public: bool = False, force: bool = False, at: dt.datetime | None = None,
              by: str | None = None) -> Outcome:
    """Record a new request; a supplier job is recorded as referred."""
    with office.lock():  # the duplicate check and the write as one step: two clerks, one job, one order
        draft = draft_order(office, unit=unit, name=name, phone=phone, description=description, item=item,
                            channel=channel, appointment=appointment, emergency=emergency, public=public,
                            force=force, at=at, by=by)
        outcome = create(office, draft.fields, by=draft.by, at=draft.at, extra_event=draft.extra_event)
    outcome.warnings[:0] = draft.warnings
    outcome.suggestions = draft.suggestions
    return outcome
