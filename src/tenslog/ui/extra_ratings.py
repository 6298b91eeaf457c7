"""Extra 0-10 ratings the person defined (store/choices.py, e.g. "stiffness/spasm"): once
switched on, asked one after another like pain, before and after a session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from textual.app import App

from tenslog.model import ExtraRating, SessionContext
from tenslog.store import Store
from tenslog.ui.screens.rating import RatingScreen
from tenslog.vocabulary import RatingMoment


def asked_scales(store: Store) -> list[str]:
    """The extra ratings switched on (none unless the person added one)."""
    return [s.name for s in store.rating_scales() if s.asked]


def ask_extras(
    app: App[Any], names: list[str], moment: RatingMoment, done: Callable[[dict[str, int]], None],
    *, session_start: datetime | None = None,
) -> None:  # fmt: skip
    """Ask each scale with one key (Esc skips that one); ``done`` gets the answers given."""
    answers: dict[str, int] = {}

    def ask(index: int) -> None:
        if index == len(names):
            done(answers)
            return

        def given(value: int | None) -> None:
            if value is not None:
                answers[names[index]] = value
            ask(index + 1)

        app.push_screen(
            RatingScreen(moment.value, session_start=session_start, scale=names[index]), given
        )

    ask(0)


def with_extras(
    context: SessionContext, moment: RatingMoment, answers: dict[str, int], at: datetime
) -> SessionContext:
    """``context`` with these answers; an earlier answer to the same scale and moment is replaced."""
    names = {n.casefold() for n in answers}
    kept = [r for r in context.extra_ratings if r.moment is not moment or r.name.casefold() not in names]
    new = [ExtraRating(name=n, moment=moment, value=v, at=at) for n, v in answers.items()]
    return context.model_copy(update={"extra_ratings": (*kept, *new)})
