"""What the three lint emitters share: expression layout, the parts of a message, the rule's named values.

Each emitter passes its own spelling of a leaf (a setting, a constant, the worst case); the operators
`+` and `*` and their precedence are the same in Python, TypeScript and Java, so one function lays
out every Sum and Product. Messages are split here once, so an unknown placeholder fails codegen in
every language the same way instead of reaching a binding as literal text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from tools.configlint.rules import RULES, AnyOf, Cmp, Const, Expr, Product, Ref, Rule, Sum, WorstCaseCallMs

Leaf = Ref | Const | WorstCaseCallMs
WORST_CASE_PLACEHOLDER = "worst_case_call_ms"
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def render(expr: Expr, leaf: Callable[[Leaf], str]) -> str:
    """`expr` in infix form; a Sum inside a Product is parenthesised, nothing else needs it."""
    if isinstance(expr, Sum):
        if len(expr.terms) < 2:
            raise ValueError(f"a Sum needs two or more terms, got {expr!r}")
        return " + ".join(render(term, leaf) for term in expr.terms)
    if isinstance(expr, Product):
        if len(expr.factors) < 2:
            raise ValueError(f"a Product needs two or more factors, got {expr!r}")
        return " * ".join(f"({render(f, leaf)})" if isinstance(f, Sum) else render(f, leaf) for f in expr.factors)
    return leaf(expr)


def sum_terms(expr: Expr, leaf: Callable[[Leaf], str]) -> list[str]:
    """The top-level terms of `expr` rendered one each (one term when it is no Sum): for line wrapping."""
    if isinstance(expr, Sum):
        return [render(term, leaf) for term in expr.terms]
    return [render(expr, leaf)]


def leaves(expr: Expr) -> Iterator[Leaf]:
    if isinstance(expr, Sum):
        for term in expr.terms:
            yield from leaves(term)
    elif isinstance(expr, Product):
        for factor in expr.factors:
            yield from leaves(factor)
    else:
        yield expr


def comparisons(rule: Rule) -> tuple[Cmp, ...]:
    return rule.holds.options if isinstance(rule.holds, AnyOf) else (rule.holds,)


def uses_worst_case(rule: Rule) -> bool:
    exprs = [side for cmp in comparisons(rule) for side in (cmp.lhs, cmp.rhs)] + [e for _, e in rule.values]
    in_exprs = any(isinstance(leaf, WorstCaseCallMs) for e in exprs for leaf in leaves(e))
    return in_exprs or "{" + WORST_CASE_PLACEHOLDER + "}" in rule.message


def value_name(rule: Rule, expr: Expr) -> str | None:
    """The name under which `rule` computes `expr` once (so predicate and message share it), if any."""
    return next((name for name, value in rule.values if value == expr), None)


@dataclass(frozen=True)
class Part:
    """A piece of a message: literal text, a setting (`/pointer`), the worst case or a named value."""

    kind: Literal["text", "setting", "worst_case", "value"]
    text: str


def message_parts(rule: Rule) -> list[Part]:
    names = {name for name, _ in rule.values}
    parts: list[Part] = []
    position = 0
    for match in _PLACEHOLDER.finditer(rule.message):
        if match.start() > position:
            parts.append(Part("text", rule.message[position : match.start()]))
        name = match.group(1)
        if name.startswith("/"):
            parts.append(Part("setting", name))
        elif name == WORST_CASE_PLACEHOLDER:
            parts.append(Part("worst_case", name))
        elif name in names:
            parts.append(Part("value", name))
        else:
            raise ValueError(f"rule {rule.id}: unknown placeholder {{{name}}} in its message")
        position = match.end()
    if position < len(rule.message):
        parts.append(Part("text", rule.message[position:]))
    return parts


def check_values(rules: tuple[Rule, ...] = RULES) -> None:
    """Named values are snake_case and unique over all rules: they become locals of one lint function."""
    seen: dict[str, str] = {}
    for rule in rules:
        for name, _ in rule.values:
            if not _NAME.match(name) or name == WORST_CASE_PLACEHOLDER:
                raise ValueError(
                    f"rule {rule.id}: value name {name!r} must be snake_case, not {WORST_CASE_PLACEHOLDER}"
                )
            if name in seen:
                raise ValueError(f"rule {rule.id}: value name {name!r} is already used by rule {seen[name]}")
            seen[name] = rule.id


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)
