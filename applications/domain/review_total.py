"""One review's weighted total, computed exactly as the ranking computes a review's score
(`applications.domain.ranking`: Σ(weight × value) / Σ(weight) over the scored criteria, values
placed on the grid's reference scale when the scales differ), for the juror's review page.

The page's script (applications/static/applications/js/review-total.js) repeats this arithmetic
live from the numbers `grid_weights` gives it, so what the juror reads while scoring is what the
server shows on reload and what the ranking counts; tests hold the three together.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class CriterionWeight:
    """A criterion's weight and the linear map (value × factor + offset) onto the reference
    scale, as `ranking.Grid` builds it."""

    pk: int
    weight: float
    factor: float
    offset: float


@dataclass(frozen=True)
class GridWeights:
    low: int
    high: int
    uniform: bool
    criteria: dict  # pk -> CriterionWeight

    def total(self, values):
        """The weighted total of `values` ({criterion pk: int or None}); None when no criterion
        of the grid has a value ("not applicable" and unscored criteria are out of both sums)."""
        numerator = denominator = 0.0
        for pk, criterion in self.criteria.items():
            value = values.get(pk)
            if value is None:
                continue
            value = float(value)
            if not self.uniform:
                value = value * criterion.factor + criterion.offset
            numerator += criterion.weight * value
            denominator += criterion.weight
        if denominator == 0:
            return None
        return numerator / denominator


def grid_weights(criteria):
    """The weights of a call's grid (`criteria`, already loaded: no query)."""
    criteria = list(criteria)
    if not criteria:
        return GridWeights(low=0, high=5, uniform=True, criteria={})
    low = min(criterion.scale_min for criterion in criteria)
    high = max(criterion.scale_max for criterion in criteria)
    uniform = all(c.scale_min == low and c.scale_max == high for c in criteria)
    weights = {}
    for criterion in criteria:
        span = criterion.scale_max - criterion.scale_min
        factor = (high - low) / span
        weights[criterion.pk] = CriterionWeight(
            pk=criterion.pk,
            weight=float(criterion.weight),
            factor=factor,
            offset=low - criterion.scale_min * factor,
        )
    return GridWeights(low=low, high=high, uniform=uniform, criteria=weights)
