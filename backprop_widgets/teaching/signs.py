"""Exercise 9: predict the sign of ∂E/∂θ for three weights, then see the chain rule's factors
that decide it."""

from __future__ import annotations

from ..engine.mlp import MLP, Trace
from ..notation import node_name, subscript, superscript, theta_name
from ..notation.formulas import GRADIENT_DESCENT
from .answers import CARRIED_CREDIT, Verdict, number_text, parse_number, reject
from .carried import own_pass, read_earlier, source_text
from .sheet import Worked, worked

SIGN_PARAMETERS = [(1, 0, 1), (0, 1, 0), (0, 0, 1)]  # θ²₁₂, θ¹₂₁, θ¹₁₂

_SIGN_WORDS = {
    "+": "+", "positive": "+", "pos": "+", "plus": "+",
    "-": "-", "−": "-", "negative": "-", "neg": "-", "minus": "-",
    "0": "0", "zero": "0",
}  # fmt: skip


def sign_of(value: float) -> str:
    """ "+", "-" or "0"."""
    return "0" if abs(value) < 1e-12 else ("+" if value > 0 else "-")


def read_sign(item) -> str | None:
    """A sign given as "+", "-", "0", a word ("negative") or a number; None if it is none."""
    if isinstance(item, str):
        return _SIGN_WORDS.get(item.strip().lower())
    value = parse_number(item)
    return None if value is None else sign_of(value)


def why_sign(net: MLP, t: Trace, l: int, i: int, j: int, gradient: float) -> str:
    """The chain-rule factors of ∂E/∂θ = −δ a for ``weights[l][i, j]``, with their signs."""
    d = node_name("δ", l + 1, i)
    a = node_name("a", l, j)
    delta, act = t.delta[l + 1][i], t.a[l][j]
    text = (
        f"∂E/∂{theta_name(l, i, j)} = −{d} · {a} = −({number_text(delta)}) · ({number_text(act)})"
    )
    text += f" = {number_text(gradient)}"
    if sign_of(act) == "0":
        return text + f": {a} = 0, so this weight had no effect on the output for this instance."
    if l + 1 == net.n_layers - 1:
        why = f"{d} = (y − ŷ) g'({node_name('z', l + 1, i)}) has the sign of y − ŷ"
    else:
        above = node_name("δ", l + 2, 0)
        theta = f"θ{superscript(l + 2)}{subscript(1, i + 1)}"
        z = node_name("z", l + 1, i)
        why = f"{d} = {theta} {above} g'({z}) has the sign of {theta} · {above}"
    return text + f" ({why}; {a} > 0)."


def _read_signs(answer) -> tuple[list[str | None] | None, Verdict | None]:
    """The signs given, one for each of ``SIGN_PARAMETERS``, or why they cannot be read."""
    n = len(SIGN_PARAMETERS)
    labels = ", ".join(theta_name(*p) for p in SIGN_PARAMETERS)
    if answer is None or answer is Ellipsis:
        return None, reject(f"Not answered yet: give {n} signs, for {labels}.", "not_answered")
    if isinstance(answer, str) and len(answer.replace(" ", "")) == n:
        answer = list(answer.replace(" ", ""))
    if isinstance(answer, str) or not hasattr(answer, "__len__") or len(answer) != n:
        return None, reject(
            f'Give a list of {n} signs ("+", "-" or "0"), for {labels}.', "wrong_shape"
        )
    signs = [read_sign(item) for item in answer]
    bad = [item for item, sign in zip(answer, signs) if sign is None and item is not None]
    if bad:
        return None, reject(
            f'Each sign must be "+", "-" or "0"; {bad[0]!r} is not.', "not_a_number"
        )
    if all(sign is None for sign in signs):
        return None, reject("Not answered yet: the signs are all None.", "not_answered")
    return signs, None


def _own_signs(w: Worked, given: dict) -> tuple[list[str] | None, str]:
    """The signs of −δ a from the student's own δ (``given``), and those δ in words; None
    when none of them is wrong."""
    values, wrong = read_earlier(w, given)
    if not wrong:
        return None, ""
    dW, _ = own_pass(w, values).gradients()
    return [sign_of(float(dW[l][i, j])) for l, i, j in SIGN_PARAMETERS], source_text(wrong)


def gradient_signs(answer, *, delta3=None, delta2=None) -> Verdict:
    """Exercise 9: the signs of ∂E/∂θ for θ²₁₂, θ¹₂₁ and θ¹₁₂, each "+", "-" or "0".

    The feedback reveals the gradients, with the chain-rule factors that explain each sign.
    ``delta3``, ``delta2``: your δ³₁ and δ² from exercises 5 and 6, to recognise signs that
    follow from them; each right sign earns a third of the points, each that follows from them
    a part of that.
    """
    signs, problem = _read_signs(answer)
    if problem is not None:
        return problem
    w = worked()
    net, x, y, t = w
    own, source = _own_signs(w, {"delta3": delta3, "delta2": delta2})
    dW, _ = net.gradients(x[None], y[None])
    lines, right, carried = [], 0, 0
    for k, ((l, i, j), sign) in enumerate(zip(SIGN_PARAMETERS, signs)):
        gradient = float(dW[l][i, j])
        truth = sign_of(gradient)
        if sign is None:
            lines.append(f"{theta_name(l, i, j)}: not answered yet.")
            continue
        right += sign == truth
        follows = sign != truth and own is not None and sign == own[k]
        carried += follows
        mark = "✓" if sign == truth else f"✗ (you said {sign}"
        if sign != truth:
            mark += f", consistent with {source})" if follows else ")"
        lines.append(f"{mark} {why_sign(net, t, l, i, j, gradient)}")
    n = len(SIGN_PARAMETERS)
    correct = right == n
    lines.append(
        f"A negative ∂E/∂θ means E falls as θ grows, so {GRADIENT_DESCENT} raises that weight."
    )
    mistake = "right" if correct else ("carried_forward" if right + carried == n else "wrong_sign")
    credit = (right + CARRIED_CREDIT * carried) / n
    return Verdict(correct, "\n".join(lines), mistake, credit=credit)
