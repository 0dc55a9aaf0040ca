"""Tests of the jury: conflicts, assignment, reviews, ranking, deliberation and decisions."""
