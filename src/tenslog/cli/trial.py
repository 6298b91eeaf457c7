"""``tenslog trial``: plan a personal (N-of-1) trial of TENS against rest, see where you are in
it, stop it (recorded, with the reason), and read its result."""

from __future__ import annotations

from datetime import date, datetime

import click

from tenslog.cli.context import app_context, open_store
from tenslog.localtime import local_time
from tenslog.store import StoreError
from tenslog.text import shown
from tenslog.trial.plan import (
    DEFAULT_PAIRS,
    DEFAULT_REST_MEANS,
    DEFAULT_TENS_MEANS,
    PlanError,
    StoredTrial,
    TrialPlan,
    check_reason,
)


def _today() -> date:
    return local_time().date()


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date: use YYYY-MM-DD", param_hint="--start") from None


@click.group("trial")
def trial_command() -> None:
    """A personal trial: TENS and rest in pairs of periods, the order in each pair drawn at
    random, rated the same way. Start with: tenslog trial plan"""


def describe_plan(trial: StoredTrial) -> list[str]:
    plan = trial.plan
    washout = f"a {plan.washout_days}-day washout after each period" if plan.washout_days else "no washout"
    days = f"{plan.period_days}-day" if plan.period_days > 1 else "1-day"
    out = [(f"Trial {trial.id}: {plan.pairs} pairs of {days} periods, {washout}, "
            f"from {plan.start.isoformat()} to {plan.last_day.isoformat()}."),
           f"Seed {plan.seed} (recorded: the same seed always gives the same order).",
           f"TENS period: {shown(plan.tens_means)}.",
           f"Rest period: {shown(plan.rest_means)}.",
           "Order (drawn at random inside each pair):"]
    periods = plan.periods()
    for pair in range(1, plan.pairs + 1):
        both = [p for p in periods if p.pair == pair]
        out.append(f"  pair {pair}: " + ", then ".join(
            f"{p.arm.label} from {p.first_day.strftime('%a %d %b')}" for p in both))
    return out


@trial_command.command("plan")
@click.option("--pairs", type=int, default=DEFAULT_PAIRS, show_default=True, help="pairs of periods (3-16)")
@click.option("--period-days", type=int, default=1, show_default=True, help="days in each period (1-7)")
@click.option("--washout-days", type=int, default=0, show_default=True, help="days without TENS or ratings after each period (0-7)")
@click.option("--tens-means", default=DEFAULT_TENS_MEANS, show_default=True, help="what a TENS period means for you")
@click.option("--rest-means", default=DEFAULT_REST_MEANS, show_default=True, help="what a rest period means for you")
@click.option("--seed", type=int, help="seed for the random order (default: from the operating system; recorded)")
@click.option("--start", metavar="YYYY-MM-DD", help="first day (default: today)")
@click.option("--change-reason", metavar="TEXT", help="replace the running trial with this plan; the change is recorded with this reason")
@click.pass_context
def plan_command(ctx: click.Context, pairs: int, period_days: int, washout_days: int,
                 tens_means: str, rest_means: str, seed: int | None, start: str | None,
                 change_reason: str | None) -> None:
    """Plan a trial. The order inside each pair is drawn at random from the seed; the plan,
    the seed and the order are stored and cannot be edited (stopping early or replacing it
    is recorded as a deviation with your reason)."""
    now = local_time()
    first = _day(start) or now.date()
    if first < now.date():
        raise click.BadParameter(f"{first.isoformat()} is in the past: a trial is planned "
                                 "before it begins (today or later)", param_hint="--start")
    try:
        plan = TrialPlan.make(start=first, created=now, pairs=pairs, period_days=period_days,
                              washout_days=washout_days, tens_means=tens_means,
                              rest_means=rest_means, seed=seed)
        if change_reason is not None:
            change_reason = check_reason(change_reason, "--change-reason")
    except PlanError as exc:
        raise click.ClickException(f"{exc}; nothing was changed") from None
    try:
        trial = open_store(ctx).add_trial(plan, now.date(), change_reason)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("\n".join(describe_plan(trial)))
    click.echo("Each day of a period: rate your pain before and after (tenslog add / the "
               "dashboard). See where you are: tenslog trial status")


def _current(ctx: click.Context) -> StoredTrial | None:
    store = open_store(ctx)
    return store.active_trial(_today()) or store.latest_trial()


@trial_command.command("status")
@click.pass_context
def status_command(ctx: click.Context) -> None:
    """Today's period, what to do, and the ratings still missing."""
    from tenslog.trial.status import trial_status

    trial = _current(ctx)
    figures = [] if trial is None else _figures(ctx, trial)
    click.echo("\n".join(trial_status(trial, figures, _today()).lines()))


def _figures(ctx: click.Context, trial: StoredTrial) -> list:
    from datetime import time, timedelta

    plan = trial.plan
    since = datetime.combine(plan.start - timedelta(days=1), time()).astimezone()
    until = datetime.combine(plan.last_day + timedelta(days=2), time()).astimezone()
    return open_store(ctx).figures(since=since, until=until)


@trial_command.command("stop")
@click.option("--reason", required=True, help="why the trial stops early (recorded with it)")
@click.option("--yes", is_flag=True, help="do not ask first (for scripts)")
@click.pass_context
def stop_command(ctx: click.Context, reason: str, yes: bool) -> None:
    """Stop the running trial early. The plan stays as it was; the stop and its reason are
    recorded as a deviation and shown with the result."""
    try:
        reason = check_reason(reason)
    except PlanError as exc:
        raise click.ClickException(f"{exc}; nothing was changed") from None
    store = open_store(ctx)
    trial = store.active_trial(_today())
    if trial is None:
        raise click.ClickException("no trial is planned or running; nothing was changed")
    if not yes:
        click.confirm(f"Stop trial {trial.id} early? It cannot be restarted; its result will "
                      "say it was stopped.", abort=True)
    try:
        store.stop_trial(trial.id, local_time(), reason)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Stopped trial {trial.id}; recorded as a deviation with your reason.")


@trial_command.command("result")
@click.pass_context
def result_command(ctx: click.Context) -> None:
    """The trial's answer, as planned and as done, with its caveats and a table of pairs."""
    from tenslog.trial.analysis import analyse_trial

    trial = _current(ctx)
    if trial is None:
        raise click.ClickException("no personal trial yet; plan one with: tenslog trial plan")
    result = analyse_trial(trial, _figures(ctx, trial), app_context(ctx).settings, _today())
    click.echo("\n".join(result.lines()))
    click.echo("\nPairs (mean change in pain, after - before; negative = pain fell)")
    click.echo(f"{'pair':>4}  {'order':<10}  {'TENS':>6}  {'rest':>6}  {'TENS-rest':>9}  {'as done':>8}")
    fmt = lambda v: "—" if v is None else f"{v:+.1f}"  # noqa: E731
    for r in result.rows:
        order = "TENS first" if r.first.value == "tens" else "rest first"
        click.echo(f"{r.pair:>4}  {order:<10}  {fmt(r.tens_change):>6}  {fmt(r.rest_change):>6}  "
                   f"{fmt(r.difference):>9}  {fmt(r.done_difference):>8}"
                   + ("" if r.over else "  (not over)"))
