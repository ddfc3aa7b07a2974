"""Builders of the paperwork: budget (PDF, XLSX with live formulas), payment sheets."""
