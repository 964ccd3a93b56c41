"""The Python activities of examples/wasm/quote-order.weft, as a WebAssembly
component (the `weft:activity` world, docs/wasm.md).

The skeleton was generated with `weft stubs --lang wasm-python
quote-order.weft`; only the placed activities' bodies were written. Built by
build.sh with componentize-py (PyPI): no network, no file system; what a
call needs comes in its arguments.
"""

import json
from typing import Any, NotRequired, TypedDict

import wit_world
from componentize_py_types import Err
from wit_world.imports.types import Call, Failure


class Permanent(Exception):
    """A failure retrying cannot fix: reported with retryable: false."""


class Ctx:
    """What a handler knows about its call."""

    def __init__(self, call: Call):
        self.activity = call.activity
        self.call_id = call.call_id
        self.run_id = call.run_id
        self.attempt = call.attempt
        self.deadline_ms = call.deadline_ms


def bind(args, params):
    """A call's arguments by parameter name (docs/language.md, "How a
    declared activity receives its arguments"): positional ones first, then
    one object of the named ones, if any."""
    if not isinstance(args, list):
        raise Permanent("the arguments are not a list")
    if args and isinstance(args[-1], dict):
        named, positional = args[-1], args[:-1]
        k = len(positional)
        later = [name for name, _ in params[k:]]
        if (
            k < len(params)
            and all(key in later for key in named)
            and all(opt or i < k or name in named for i, (name, opt) in enumerate(params))
        ):
            out = {params[i][0]: v for i, v in enumerate(positional)}
            out.update(named)
            return out
    if len(args) > len(params):
        raise Permanent(f"{len(args)} arguments were given; the activity takes {len(params)}")
    for i, (name, opt) in enumerate(params):
        if not opt and i >= len(args):
            raise Permanent(f"the argument `{name}` is missing")
    return {params[i][0]: v for i, v in enumerate(args)}


Line = TypedDict("Line", {"sku": str, "quantity": int, "price": float})
Quote = TypedDict("Quote", {"subtotal": float, "discount": float, "total": float})
PriceQuoteParams = TypedDict("PriceQuoteParams", {"lines": list["Line"], "coupon": NotRequired[str]})
ScreenOrderParams = TypedDict("ScreenOrderParams", {"customer": str, "total": float})
ScreenOrderResult = TypedDict("ScreenOrderResult", {"score": float, "flagged": bool})

COUPONS = {"TENOFF": 0.10, "HALF": 0.50}
REVIEW_ABOVE = 10_000  # totals above this are always reviewed


def price_quote(ctx: Ctx, params: PriceQuoteParams) -> "Quote":
    """`PriceQuote`: the order's total after its coupon."""
    subtotal = 0.0
    for line in params["lines"]:
        if line["quantity"] <= 0:
            raise Permanent(f"line {line['sku']}: the quantity must be positive")
        subtotal += line["quantity"] * line["price"]
    coupon = params.get("coupon")
    if coupon is not None and coupon not in COUPONS:
        raise Permanent(f"unknown coupon {coupon!r}")
    discount = round(subtotal * COUPONS.get(coupon, 0.0), 2)
    return {"subtotal": round(subtotal, 2), "discount": discount, "total": round(subtotal - discount, 2)}


def screen_order(ctx: Ctx, params: ScreenOrderParams) -> ScreenOrderResult:
    """`ScreenOrder`: a fraud score from 0 to 1; flagged orders go to review."""
    customer = params["customer"]
    if customer == "flaky" and ctx.attempt == 1:
        # A failure worth retrying, as a real scoring model might raise:
        # @retry(3) on the call tries again.
        raise RuntimeError("the scoring model is warming up")
    score = min(1.0, params["total"] / (2 * REVIEW_ABOVE))
    if customer.startswith("fraud"):
        score = 0.99
    return {"score": round(score, 3), "flagged": score >= 0.5}


HANDLERS = {
    "PriceQuote": (price_quote, [("lines", False), ("coupon", True)]),
    "ScreenOrder": (screen_order, [("customer", False), ("total", False)]),
}


class WitWorld(wit_world.WitWorld):
    def run(self, call: Call) -> str:
        entry = HANDLERS.get(call.activity)
        if entry is None:
            raise Err(Failure(message=f"this component does not implement {call.activity}", retryable=False))
        handler, params = entry
        try:
            result: Any = handler(Ctx(call), bind(json.loads(call.args), params))
        except Permanent as e:
            raise Err(Failure(message=str(e), retryable=False))
        except Exception as e:
            raise Err(Failure(message=f"{type(e).__name__}: {e}", retryable=True))
        return json.dumps(result)
