"""Pure builders returning bytes: rosters (CSV, XLSX, PDF) and attendance sheets (PDF).

They take the plain objects of :mod:`planner.services.rosters`, never the request or
the database, so a CLI command or a test can call them as they are.
"""
