"""Meals (konsumsi): portions counted from the run-down (issue 12, item 5)."""

from planner.services.meals.counting import MealDay, MealRow, meal_days

__all__ = ["MealDay", "MealRow", "meal_days"]
