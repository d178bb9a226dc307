"""Members' fees: the pure split of a budget year (`split`), the fee models, fees and kept
statements (`models`, registered in the members app), their reads, writes, pages and the
spreadsheet export (`selectors`, `services`, `views`, `exports`, `forms`)."""

from .split import ORE, FeeError, FeeLine, FeeSplit, Payer, fee_split

__all__ = ["ORE", "FeeError", "FeeLine", "FeeSplit", "Payer", "fee_split"]
